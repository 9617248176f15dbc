"""Runs himalaya on the brain2music decoding benchmark's ROIs: the same work as brain2music's ROI fits.

Usage: HIMALAYA_PATH=/path/to/himalaya/checkout [OPENBLAS_CORETYPE=K] python3 himalaya_decode.py DIR
DIR holds (written by bench/decode.bench.ts): Xtrain.npy (rows x voxels, float32, standardised with
the training statistics), Xtest.npy (test rows, same standardisation), Ytrain.npy (rows x dims),
rois.json ({"alphas": [...], "folds": [[test indices], ...], "rois": [{"label", "voxels"}, ...]},
the last ROI being the whole cortex). For every ROI: the voxels' columns, then RidgeCV (solver
svd) when brain2music's rule picks the primal form (voxels x folds <= the folds' training rows),
else KernelRidgeCV (linear kernel, solver eigenvalues); the same alphas and explicit folds,
fit_intercept, scored by correlation. Writes DIR/himalaya_scores.npy (ROIs x dims, the CV score at
each dimension's best alpha), himalaya_alphas.npy (ROIs x dims) and himalaya_pred.npy
(ROIs x test rows x dims), then, not timed, an independent reference: closed-form float64
predictions of the test rows at brain2music's alphas (DIR/ours_alphas.npy, ROIs x dims) and at
himalaya's (reference_at_ours.npy, reference_at_himalaya.npy). Prints one JSON line with the fit
times. himalaya is not part of brain2music.
"""
import json
import os
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info

sys.path.insert(0, os.environ["HIMALAYA_PATH"])
from himalaya.backend import set_backend  # noqa: E402
from himalaya.kernel_ridge import KernelRidgeCV  # noqa: E402
from himalaya.ridge import RidgeCV  # noqa: E402
from himalaya.scoring import correlation_score  # noqa: E402

d = sys.argv[1]
set_backend("numpy")
Xtrain = np.load(os.path.join(d, "Xtrain.npy"))
Xtest = np.load(os.path.join(d, "Xtest.npy"))
Y = np.load(os.path.join(d, "Ytrain.npy"))
with open(os.path.join(d, "rois.json")) as f:
    spec = json.load(f)
n = Xtrain.shape[0]
alphas = np.asarray(spec["alphas"], dtype=np.float64)
tests = [np.asarray(t, dtype=np.int64) for t in spec["folds"]]
splits = [(np.setdiff1d(np.arange(n), t), t) for t in tests]
train_rows = sum(len(tr) for tr, _ in splits)
params = dict(score_func=correlation_score)

rois = spec["rois"]
scores = np.zeros((len(rois), Y.shape[1]), dtype=np.float64)
best = np.zeros((len(rois), Y.shape[1]), dtype=np.float64)
pred = np.zeros((len(rois), Xtest.shape[0], Y.shape[1]), dtype=np.float32)
seconds = []
cpu = []
kinds = []
for i, roi in enumerate(rois):
    vox = np.asarray(roi["voxels"], dtype=np.int64)
    t0 = time.perf_counter()
    c0 = time.process_time()
    X = Xtrain[:, vox]
    primal = len(vox) * len(splits) <= train_rows
    if primal:
        model = RidgeCV(alphas=alphas, cv=splits, fit_intercept=True, solver="svd", solver_params=params)
    else:
        model = KernelRidgeCV(alphas=alphas, kernel="linear", cv=splits, fit_intercept=True, solver="eigenvalues", solver_params=params)
    model.fit(X, Y)
    seconds.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
    kinds.append("RidgeCV" if primal else "KernelRidgeCV")
    scores[i] = np.asarray(model.cv_scores_).reshape(-1)
    best[i] = np.asarray(model.best_alphas_)
    pred[i] = np.asarray(model.predict(Xtest[:, vox]), dtype=np.float32)



def reference(X, Xt, alpha):
    """Closed-form float64 ridge predictions of the test rows, one alpha per target (train-centred)."""
    X = X.astype(np.float64)
    xm = X.mean(0)
    Xc = X - xm
    Yc = Y64 - ym
    Xtc = Xt.astype(np.float64) - xm
    if Xc.shape[1] <= Xc.shape[0]:
        lam, V = np.linalg.eigh(Xc.T @ Xc)
        coef = V @ ((V.T @ (Xc.T @ Yc)) / (lam[:, None] + alpha[None, :]))
    else:
        lam, U = np.linalg.eigh(Xc @ Xc.T)
        coef = Xc.T @ (U @ ((U.T @ Yc) / (lam[:, None] + alpha[None, :])))
    return (Xtc @ coef + ym).astype(np.float32)


# an independent reference, not timed: float64 predictions at each side's chosen alphas
Y64 = Y.astype(np.float64)
ym = Y64.mean(0)
ours_alphas = np.load(os.path.join(d, "ours_alphas.npy"))
ref_ours = np.zeros_like(pred)
ref_himalaya = np.zeros_like(pred)
for i, roi in enumerate(rois):
    vox = np.asarray(roi["voxels"], dtype=np.int64)
    ref_ours[i] = reference(Xtrain[:, vox], Xtest[:, vox], ours_alphas[i])
    ref_himalaya[i] = reference(Xtrain[:, vox], Xtest[:, vox], best[i])
np.save(os.path.join(d, "reference_at_ours.npy"), ref_ours)
np.save(os.path.join(d, "reference_at_himalaya.npy"), ref_himalaya)
np.save(os.path.join(d, "himalaya_scores.npy"), scores)
np.save(os.path.join(d, "himalaya_alphas.npy"), best)
np.save(os.path.join(d, "himalaya_pred.npy"), pred)
# the BLAS numpy ran on, and the kernel it picked (OPENBLAS_CORETYPE overrides OpenBLAS's CPU detection)
blas = [{"api": i.get("internal_api"), "version": i.get("version"), "kernel": i.get("architecture"), "threads": i.get("num_threads")} for i in threadpool_info() if i.get("user_api") == "blas"]
print(json.dumps({"seconds": seconds, "cpu": cpu, "kinds": kinds, "numpy": np.__version__, "blas": blas, "coretype": os.environ.get("OPENBLAS_CORETYPE")}))
