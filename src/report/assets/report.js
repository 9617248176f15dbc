// brain2music report: brain map viewers (NiiVue) and small interactions. Runs from file:// with
// no network: volumes come from sibling data/*.js files (base64 NIfTI) loaded by <script src>,
// because browsers block fetch/XHR of file:// URLs.
(function () {
  'use strict';
  var brain = window.B2M_BRAIN || {};

  function setStatus(el, text) {
    var s = el.querySelector('.viewer-status');
    if (s) s.textContent = text;
  }

  async function loadVolume(nv, item, opts) {
    var img = await niivue.NVImage.loadFromBase64(Object.assign({ base64: item.base64, name: item.name }, opts));
    nv.addVolume(img);
    return img;
  }

  async function startViewer(el) {
    var sub = el.getAttribute('data-subject');
    var d = brain[sub];
    if (!d) throw new Error('no brain data for ' + sub + ' (data/' + sub + '-brain.js did not load)');
    var canvas = el.querySelector('canvas');
    var select = el.querySelector('.map-select');
    var slider = el.querySelector('.threshold');
    var shown = el.querySelector('.threshold-value');
    var rois = el.querySelector('.show-rois');
    var nv = new niivue.Niivue({
      backColor: [1, 1, 1, 1], show3Dcrosshair: false, isColorbar: true, logLevel: 'error', loadingText: '',
      crosshairWidth: 0.5, crosshairColor: [0.2, 0.6, 1, 0.35],
      multiplanarShowRender: niivue.SHOW_RENDER.NEVER,
    });
    await nv.attachToCanvas(canvas);
    nv.setInterpolation(true);
    await loadVolume(nv, d.background, { colormap: 'gray', opacity: 1 });
    var overlay = null;
    var roiLayer = null;

    async function showMap() {
      var m = d.maps.find(function (x) { return x.key === select.value; }) || d.maps[0];
      if (overlay) nv.removeVolume(overlay);
      if (roiLayer) { nv.removeVolume(roiLayer); roiLayer = null; }
      slider.max = String(m.max);
      slider.step = String(m.max / 100 || 0.01);
      var thr = Math.min(Number(slider.value), m.max);
      overlay = await loadVolume(nv, m, { colormap: 'warm', cal_min: thr, cal_max: m.max, opacity: 0.9 });
      if (rois && rois.checked && d.rois) roiLayer = await loadVolume(nv, d.rois, { colormap: 'green', cal_min: 0.5, cal_max: 1, opacity: 0.6 });
      if (m.peak) nv.scene.crosshairPos = nv.vox2frac(m.peak);
      el.setAttribute('data-rois', roiLayer ? 'shown' : 'hidden');
      applyThreshold();
    }

    function applyThreshold() {
      var thr = Number(slider.value);
      shown.textContent = thr.toFixed(3);
      if (overlay) {
        overlay.cal_min = thr;
        nv.updateGLVolume();
      }
    }

    slider.addEventListener('input', applyThreshold);
    select.addEventListener('change', function () { showMap().catch(report); });
    if (rois) rois.addEventListener('change', function () { showMap().catch(report); });
    nv.setSliceType(nv.sliceTypeMultiplanar);
    await showMap();
    el.setAttribute('data-ready', '1');
    setStatus(el, '');

    function report(err) {
      el.setAttribute('data-error', String(err && err.message || err));
      setStatus(el, 'could not show the map: ' + (err && err.message || err));
      console.error(err);
    }
  }

  document.querySelectorAll('.brain-viewer').forEach(function (el) {
    startViewer(el).catch(function (err) {
      el.setAttribute('data-error', String(err && err.message || err));
      setStatus(el, 'could not show the brain maps: ' + (err && err.message || err));
      console.error(err);
    });
  });
})();
