// brain2music report: brain map viewers (NiiVue), figure downloads and the clip table toggle.
// Runs from file:// with no network: volumes come from sibling data/*.js files (base64 NIfTI)
// loaded by <script src>, because browsers block fetch/XHR of file:// URLs.
(function () {
  'use strict';
  var brain = window.B2M_BRAIN || {};

  // Each SVG figure's link downloads the figure as shown (serialised from the page, no copy on disk).
  document.querySelectorAll('a.download[data-figure]').forEach(function (a) {
    var fig = a.closest('.figure');
    var svg = fig && fig.querySelector('svg');
    if (!svg) return;
    var text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
    a.href = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  });

  // Long clip tables show their first rows; the button shows the rest (and loads their audio).
  document.querySelectorAll('button.show-all').forEach(function (b) {
    var table = b.closest('.table-foot').previousElementSibling;
    var label = b.textContent;
    b.addEventListener('click', function () {
      var collapsed = table.classList.toggle('collapsed');
      b.textContent = collapsed ? label : 'show fewer clips';
      if (!collapsed) table.querySelectorAll('tr.more audio').forEach(function (a) { a.preload = 'metadata'; });
    });
  });

  if (typeof niivue === 'undefined') return;

  var fmt = function (x, d) { return Number.isFinite(x) ? (Math.abs(x) < 5e-4 && x !== 0 && d >= 3 ? x.toExponential(1) : x.toFixed(d === undefined ? 3 : d)) : '–'; };

  /** Inverse of a row-major 4×4 affine's 3×4 part: world mm → voxel (i, j, k). */
  function invertAffine(a) {
    var m = [[a[0], a[1], a[2]], [a[4], a[5], a[6]], [a[8], a[9], a[10]]];
    var t = [a[3], a[7], a[11]];
    var det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    var inv = [
      [(m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det, (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det, (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det],
      [(m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det, (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det, (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det],
      [(m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det, (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det, (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det],
    ];
    return function (mm) {
      var d = [mm[0] - t[0], mm[1] - t[1], mm[2] - t[2]];
      return inv.map(function (row) { return Math.round(row[0] * d[0] + row[1] * d[1] + row[2] * d[2]); });
    };
  }

  /** CSS gradient stops of a NiiVue colour map (256 RGBA entries): colour at txl t0 → t1 over bar positions from → to (percent, bottom = 0). */
  function stops(lut, from, to, t0, t1) {
    var out = [];
    for (var s = 0; s <= 8; s++) {
      var i = Math.min(255, Math.max(0, Math.round((t0 + ((t1 - t0) * s) / 8) * 255)));
      out.push('rgb(' + lut[4 * i] + ',' + lut[4 * i + 1] + ',' + lut[4 * i + 2] + ') ' + (from + ((to - from) * s) / 8).toFixed(1) + '%');
    }
    return out.join(', ');
  }

  async function startViewer(el) {
    var sub = el.getAttribute('data-subject');
    var d = brain[sub];
    if (!d) throw new Error('no brain data for ' + sub + ' (data/' + sub + '-brain.js did not load)');
    var canvas = el.querySelector('canvas');
    var select = el.querySelector('.map-select');
    var slider = el.querySelector('.threshold');
    var shown = el.querySelector('.threshold-value');
    var qLevel = el.querySelector('.q-level');
    var qControl = el.querySelector('.q-control');
    var rois = el.querySelector('.show-rois');
    var text = el.querySelector('.threshold-text');
    var readoutEl = el.querySelector('.readout');
    var labels = el.querySelector('.slice-labels');
    var bar = el.querySelector('.colorbar');
    var toVox = invertAffine(d.grid.affine);
    var dims = d.grid.dims;
    var byKey = {};
    d.maps.forEach(function (m) { byKey[m.key] = m; });

    var nv = new niivue.Niivue({
      backColor: [0, 0, 0, 1], show3Dcrosshair: false, isColorbar: false, logLevel: 'error', loadingText: '',
      crosshairWidth: 0.1, crosshairColor: [0.3, 0.85, 1, 0.9], fontColor: [1, 1, 1, 1], fontMinPx: 15,
      showAllOrientationMarkers: true, isOrientationTextVisible: true, isRadiologicalConvention: false,
      multiplanarShowRender: niivue.SHOW_RENDER.NEVER, multiplanarLayout: niivue.MULTIPLANAR_TYPE.ROW, multiplanarPadPixels: 16, dragAndDropEnabled: false,
    });
    await nv.attachToCanvas(canvas);
    nv.setInterpolation(true);
    var bg = await niivue.NVImage.loadFromBase64({ base64: d.background.base64, name: d.background.name, colormap: 'gray', opacity: 1 });
    nv.addVolume(bg);

    // Every map and the ROI / atlas images as NVImages, loaded once: the overlay shown, and the
    // values the readout reads (NVImage.img holds the voxels in the file's order, i + nx (j + ny k)).
    var images = {};
    async function image(key) {
      if (!images[key]) {
        var m = byKey[key];
        images[key] = await niivue.NVImage.loadFromBase64({ base64: m.base64, name: m.file, colormap: 'warm', colormapNegative: m.signed ? 'winter' : '', cal_min: 0, cal_max: m.max || 1, opacity: 0.9 });
        // the significant map as written, to restore after another q level
        if (m.kind === 'sig') images[key].writtenImg = Float32Array.from(images[key].img);
      }
      return images[key];
    }
    var roiImage = d.rois ? await niivue.NVImage.loadFromBase64({ base64: d.rois.base64, name: 'rois.nii.gz', colormap: 'green', cal_min: 0.5, cal_max: 0.6, opacity: 0.6 }) : null;
    var atlasImage = d.atlas ? await niivue.NVImage.loadFromBase64({ base64: d.atlas.base64, name: 'atlas.nii.gz', colormap: 'gray', opacity: 0 }) : null;

    var current = null;
    var overlay = null;
    var roiShown = false;

    function sameGrid(img) { return img && img.hdr.dims[1] === dims[0] && img.hdr.dims[2] === dims[1] && img.hdr.dims[3] === dims[2]; }

    function drawColorbar(m, thr) {
      var lut = nv.colormap('warm');
      var ramp = bar.querySelector('.colorbar-ramp');
      var ticks = bar.querySelector('.colorbar-ticks');
      bar.querySelector('.colorbar-label').textContent = m.units;
      var max = m.max || 1;
      var marks = [];
      if (m.signed) {
        // bottom −max, middle 0, top +max; |value| < thr is not drawn. NiiVue's negative map runs
        // from its top colour at −max to its lowest at −thr.
        var half = Math.min(50, 50 * (thr / max));
        ramp.style.background = 'linear-gradient(to top, ' + stops(nv.colormap('winter'), 0, 50 - half, 1, 0)
          + ', rgba(0,0,0,0) ' + (50 - half).toFixed(1) + '%, rgba(0,0,0,0) ' + (50 + half).toFixed(1) + '%, ' + stops(lut, 50 + half, 100, 0, 1) + ')';
        marks = thr > 0 ? [[100, max], [50 + half, thr], [50 - half, -thr], [0, -max]] : [[100, max], [50, 0], [0, -max]];
      } else {
        ramp.style.background = 'linear-gradient(to top, ' + stops(lut, 0, 100, 0, 1) + ')';
        marks = [[100, max], [0, thr]];
        if (m.kind === 'q') {
          var at = -Math.log10(d.fdr);
          if (at > thr && at < max) marks.push([(100 * (at - thr)) / (max - thr), at, 'q = ' + d.fdr]);
        }
      }
      ticks.innerHTML = '';
      marks.forEach(function (t) {
        var s = document.createElement('span');
        s.style.bottom = t[0] + '%';
        s.textContent = (t[2] ? t[2] + ' (' + fmt(t[1], 2) + ')' : fmt(t[1], m.kind === 'q' ? 1 : 2));
        ticks.appendChild(s);
      });
    }

    function describe() {
      var m = current;
      var thr = Number(slider.value);
      var unit = m.kind === 'q' ? '−log10 q' : m.kind === 'sig' || m.kind === 'r' ? 'r' : 'value';
      var n = 0;
      var img = overlay.img;
      for (var i = 0; i < img.length; i++) if (img[i] !== 0 && Math.abs(img[i]) >= thr) n++;
      var parts = [m.label + ': ' + n + ' voxels shown'];
      if (m.kind === 'sig') parts.push('significant at q ≤ ' + qLevel.value + ' (Benjamini–Hochberg FDR) with r > 0' + (Number(qLevel.value) === d.fdr ? ', as the encode stage wrote them' : ', recomputed from the q map'));
      parts.push(thr > 0 ? 'hiding |' + unit + '| < ' + fmt(thr) : 'no display threshold (every voxel with a value)');
      text.textContent = parts.join('; ') + '.';
    }

    function applyThreshold() {
      var thr = Number(slider.value);
      shown.textContent = fmt(thr);
      if (!overlay) return;
      overlay.cal_min = thr;
      overlay.cal_max = Math.max(current.max, thr + 1e-6);
      nv.updateGLVolume();
      drawColorbar(current, thr);
      describe();
    }

    async function applyQ() {
      var m = current;
      if (m.kind !== 'sig') return;
      var level = Number(qLevel.value);
      var out = overlay.img;
      if (level === d.fdr || !byKey[m.space + ':q'] || !byKey[m.space + ':r']) {
        out.set(overlay.writtenImg);
      } else {
        var r = (await image(m.space + ':r')).img;
        var lq = (await image(m.space + ':q')).img;
        var t = -Math.log10(level);
        for (var i = 0; i < out.length; i++) out[i] = lq[i] >= t && r[i] > 0 ? r[i] : 0;
      }
      nv.updateGLVolume();
      describe();
    }

    async function showMap() {
      var m = byKey[select.value] || d.maps[0];
      current = m;
      if (overlay) nv.removeVolume(overlay);
      if (roiShown) { nv.removeVolume(roiImage); roiShown = false; }
      overlay = await image(m.key);
      // load what the readout shows for this space
      var extra = [m.space + ':r', m.space + ':q', m.space + ':ceiling'].concat(m.pair ? [m.pair[0] + ':r', m.pair[1] + ':r'] : []);
      for (var x = 0; x < extra.length; x++) if (byKey[extra[x]]) await image(extra[x]);
      nv.addVolume(overlay);
      if (rois && rois.checked && roiImage) { nv.addVolume(roiImage); roiShown = true; }
      slider.max = String(m.max || 1);
      slider.step = String((m.max || 1) / 200);
      if (Number(slider.value) > m.max) slider.value = '0';
      qControl.hidden = m.kind !== 'sig';
      el.setAttribute('data-map', m.key);
      el.setAttribute('data-rois', roiShown ? 'shown' : 'hidden');
      applyThreshold();
      if (m.kind === 'sig') await applyQ();
      // the readout of the crosshair's voxel for this map
      if (el.hasAttribute('data-ready')) nv.createOnLocationChange();
    }

    function value(key, idx) {
      var img = images[key];
      if (!img || !sameGrid(img)) return undefined;
      return img.img[idx];
    }

    function readout(mm) {
      var v = toVox(mm);
      var inside = v[0] >= 0 && v[1] >= 0 && v[2] >= 0 && v[0] < dims[0] && v[1] < dims[1] && v[2] < dims[2];
      var where = 'voxel (' + v.join(', ') + '), (' + mm.slice(0, 3).map(function (x) { return fmt(x, 1); }).join(', ') + ') mm';
      if (!inside) { readoutEl.textContent = where + ': outside the maps.'; return; }
      var idx = v[0] + dims[0] * (v[1] + dims[1] * v[2]);
      var m = current;
      var space = m.pair ? null : m.space;
      var parts = [];
      if (m.pair) {
        parts.push(m.pair[0] + ' r = ' + fmt(value(m.pair[0] + ':r', idx)), m.pair[1] + ' r = ' + fmt(value(m.pair[1] + ':r', idx)), 'difference = ' + fmt(value(m.key, idx)));
      } else {
        var r = value(space + ':r', idx);
        var lq = value(space + ':q', idx);
        if (r !== undefined) parts.push('r = ' + fmt(r));
        if (lq !== undefined) {
          var q = Math.pow(10, -lq);
          parts.push('q = ' + fmt(q) + (q <= Number(qLevel.value) && r > 0 ? ' (significant at q ≤ ' + qLevel.value + ')' : ''));
        }
        var c = value(space + ':ceiling', idx);
        if (c !== undefined) parts.push('noise ceiling = ' + fmt(c));
        if (m.kind !== 'r' && m.kind !== 'q' && m.kind !== 'sig' && m.kind !== 'ceiling') parts.push(m.units + ' = ' + fmt(value(m.key, idx)));
      }
      // the atlas label (when the run wrote one) and the decoding ROI (rank) or voxel selection
      var roi = [];
      var label = atlasImage && sameGrid(atlasImage) ? Math.round(atlasImage.img[idx]) : -1;
      var rank = roiImage && sameGrid(roiImage) ? Math.round(roiImage.img[idx]) : -1;
      if (label > 0) roi.push((d.atlas.names[label] || 'label ' + label) + ' (atlas label ' + label + ')');
      else if (label === 0) roi.push('outside the atlas ROIs');
      if (rank > 0) roi.push(d.rois.voxels ? 'a decoding voxel' : label > 0 ? 'decoding ROI rank ' + rank : (d.rois.names[rank - 1] || 'label ' + rank) + ' (decoding ROI, rank ' + rank + ')');
      else if (rank === 0 && label < 0) roi.push(d.rois.voxels ? 'not a decoding voxel' : 'outside the decoding ROIs');
      roi = roi.join('; ');
      if (roi) parts.push('ROI: ' + roi);
      readoutEl.textContent = where + ': ' + parts.join(', ') + '.';
      el.setAttribute('data-readout', '1');
    }

    function sliceLabels(mm) {
      if (!labels) return;
      var scale = canvas.clientWidth / canvas.width;
      var names = ['axial z', 'coronal y', 'sagittal x'];
      var at = [mm[2], mm[1], mm[0]];
      labels.innerHTML = '';
      nv.screenSlices.forEach(function (t) {
        if (t.axCorSag > 2) return;
        var s = document.createElement('span');
        s.textContent = names[t.axCorSag] + ' = ' + fmt(at[t.axCorSag], 1) + ' mm';
        s.style.left = (t.leftTopWidthHeight[0] * scale + 4) + 'px';
        s.style.top = (t.leftTopWidthHeight[1] * scale + 2) + 'px';
        labels.appendChild(s);
      });
    }

    nv.onLocationChange = function (loc) {
      readout(Array.from(loc.mm));
      sliceLabels(Array.from(loc.mm));
    };

    function goTo(mm) {
      nv.scene.crosshairPos = nv.mm2frac(mm);
      nv.drawScene();
      nv.createOnLocationChange();
    }

    slider.addEventListener('input', applyThreshold);
    qLevel.addEventListener('change', function () { applyQ().catch(report); });
    select.addEventListener('change', function () { showMap().catch(report); });
    if (rois) rois.addEventListener('change', function () { showMap().catch(report); });
    el.querySelector('.peak').addEventListener('click', function () { goTo(current.peak.mm); });
    el.querySelector('.save-png').addEventListener('click', function () { nv.saveScene(sub + '-' + current.key.replace(/[^A-Za-z0-9_.-]+/g, '_') + '.png'); });
    nv.setSliceType(nv.sliceTypeMultiplanar);
    await showMap();
    goTo(current.peak.mm);
    new ResizeObserver(function () { requestAnimationFrame(function () { sliceLabels(Array.from(nv.frac2mm(nv.scene.crosshairPos))); }); }).observe(canvas);
    el.setAttribute('data-ready', '1');
    el.querySelector('.viewer-status').textContent = '';

    function report(err) {
      el.setAttribute('data-error', String((err && err.message) || err));
      el.querySelector('.viewer-status').textContent = 'could not show the map: ' + ((err && err.message) || err);
      console.error(err);
    }
  }

  document.querySelectorAll('.brain-viewer').forEach(function (el) {
    startViewer(el).catch(function (err) {
      el.setAttribute('data-error', String((err && err.message) || err));
      el.querySelector('.viewer-status').textContent = 'could not show the brain maps: ' + ((err && err.message) || err);
      console.error(err);
    });
  });
})();
