"""Runs himalaya's RidgeCV on X.npy / Y.npy for the brain2music ridge benchmark.

Usage: HIMALAYA_PATH=/path/to/himalaya/checkout [OPENBLAS_CORETYPE=K] python3 himalaya_ridge.py DIR [n_alphas] [folds]
Reads DIR/X.npy, DIR/Y.npy (float32), fits RidgeCV(alphas=logspace(-2, 8, n_alphas), cv=folds,
fit_intercept=True, solver='svd') with the numpy backend and its default score (negative MSE),
writes DIR/himalaya_best_alphas.npy, DIR/himalaya_coef.npy (features x targets) and prints one
JSON line with the fit time in seconds. himalaya itself is not part of brain2music.
"""
import json
import os
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info

sys.path.insert(0, os.environ["HIMALAYA_PATH"])
from himalaya.backend import set_backend  # noqa: E402
from himalaya.ridge import RidgeCV  # noqa: E402

d = sys.argv[1]
n_alphas = int(sys.argv[2]) if len(sys.argv) > 2 else 20
folds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
set_backend("numpy")
X = np.load(os.path.join(d, "X.npy"))
Y = np.load(os.path.join(d, "Y.npy"))
model = RidgeCV(alphas=np.logspace(-2, 8, n_alphas), cv=folds, fit_intercept=True, solver="svd")
t0 = time.perf_counter()
c0 = time.process_time()
model.fit(X, Y)
seconds = time.perf_counter() - t0
cpu = time.process_time() - c0
np.save(os.path.join(d, "himalaya_best_alphas.npy"), np.asarray(model.best_alphas_, dtype=np.float64))
np.save(os.path.join(d, "himalaya_coef.npy"), np.asarray(model.coef_, dtype=np.float32))
# the BLAS numpy ran on, and the kernel it picked (OPENBLAS_CORETYPE overrides OpenBLAS's CPU detection)
blas = [{"api": i.get("internal_api"), "version": i.get("version"), "kernel": i.get("architecture"), "threads": i.get("num_threads")} for i in threadpool_info() if i.get("user_api") == "blas"]
print(json.dumps({"seconds": seconds, "cpu": cpu, "numpy": np.__version__, "blas": blas, "coretype": os.environ.get("OPENBLAS_CORETYPE"), "n": X.shape[0], "p": X.shape[1], "t": Y.shape[1]}))
