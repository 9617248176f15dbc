// brain2music listening test: one listener, one trial at a time, against the /api/ of
// `brain2music listen` (src/report/listenServer.ts). Loads nothing but this page's own files.
// The listener's name is kept in localStorage, so a reloaded page resumes at the first trial
// the server has no answer for. No feedback is ever shown.
(function () {
  'use strict';
  var KEY = 'brain2music-listener';
  var $ = function (id) { return document.getElementById(id); };
  var state = null; // { listener, trials, answered: {trial: true}, current, shownAt, plays, busy }

  function showError(text) {
    var e = $('error');
    e.textContent = text;
    e.hidden = !text;
  }

  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) throw new Error(j.error || ('the server answered ' + r.status));
        return j;
      });
    });
  }

  function show(section) {
    ['start', 'trial', 'done'].forEach(function (s) { $(s).hidden = s !== section; });
  }

  function audios() { return document.querySelectorAll('#trial audio'); }

  function stopAll() {
    audios().forEach(function (a) { a.pause(); });
    document.querySelectorAll('button.play').forEach(function (b) { b.classList.remove('playing'); });
  }

  function play(which) {
    if (!state || state.busy) return;
    var a = document.querySelector('#trial audio[data-clip="' + which + '"]');
    var playing = !a.paused;
    stopAll();
    if (playing) return; // a second press stops it
    a.currentTime = 0;
    state.plays[which]++;
    document.querySelector('button.play[data-clip="' + which + '"]').classList.add('playing');
    var p = a.play();
    if (p && p.catch) p.catch(function (err) { showError('cannot play the ' + which + ' clip: ' + err.message); });
    updateChoices();
  }

  function updateChoices() {
    var heard = state.plays.original > 0 && state.plays.left > 0 && state.plays.right > 0;
    document.querySelectorAll('button.choose').forEach(function (b) { b.disabled = !heard || state.busy; });
    $('need').hidden = heard;
  }

  function nextTrial() {
    stopAll();
    var t = null;
    for (var i = 0; i < state.trials.length; i++) if (!state.answered[state.trials[i].trial]) { t = state.trials[i]; break; }
    if (!t) {
      show('done');
      $('done-text').textContent = 'All ' + state.trials.length + ' answers of ' + state.listener + ' are recorded. You can close this page.';
      return;
    }
    state.current = t;
    state.plays = { original: 0, left: 0, right: 0 };
    $('position').textContent = 'Trial ' + t.position;
    $('total').textContent = String(state.trials.length);
    ['original', 'left', 'right'].forEach(function (w) {
      var a = document.querySelector('#trial audio[data-clip="' + w + '"]');
      a.src = t[w];
      a.load();
    });
    show('trial');
    state.shownAt = performance.now();
    updateChoices();
  }

  function choose(choice, input) {
    if (!state || !state.current || state.busy) return;
    if (document.querySelector('button.choose').disabled) return;
    var t = state.current;
    state.busy = true;
    updateChoices();
    stopAll();
    post('/api/answer', {
      listener: state.listener, trial: t.trial, choice: choice, input: input,
      responseMs: Math.round(performance.now() - state.shownAt), plays: state.plays,
    }).then(function () {
      state.answered[t.trial] = true;
      state.busy = false;
      showError('');
      nextTrial();
    }, function (err) {
      state.busy = false;
      updateChoices();
      showError('Your answer was not recorded: ' + err.message);
    });
  }

  function start(listener) {
    showError('');
    return post('/api/start', { listener: listener }).then(function (s) {
      localStorage.setItem(KEY, s.listener);
      state = { listener: s.listener, trials: s.trials, answered: {}, current: null, busy: false };
      s.answered.forEach(function (id) { state.answered[id] = true; });
      nextTrial();
    }, function (err) {
      localStorage.removeItem(KEY);
      show('start');
      showError(err.message);
    });
  }

  $('who').addEventListener('submit', function (e) {
    e.preventDefault();
    start($('listener').value.trim());
  });
  $('switch').addEventListener('click', function () {
    localStorage.removeItem(KEY);
    stopAll();
    state = null;
    show('start');
  });
  document.querySelectorAll('button.play').forEach(function (b) {
    b.addEventListener('click', function () { play(b.getAttribute('data-clip')); });
  });
  document.querySelectorAll('button.choose').forEach(function (b) {
    b.addEventListener('click', function (e) { choose(b.getAttribute('data-choice'), e.detail === 0 ? 'keyboard' : 'mouse'); });
  });
  audios().forEach(function (a) {
    a.addEventListener('ended', function () {
      document.querySelector('button.play[data-clip="' + a.getAttribute('data-clip') + '"]').classList.remove('playing');
    });
  });
  document.addEventListener('keydown', function (e) {
    if ($('trial').hidden || e.target.tagName === 'INPUT' || e.metaKey || e.ctrlKey || e.altKey) return;
    var k = e.key.toLowerCase();
    var act = { o: function () { play('original'); }, a: function () { play('left'); }, b: function () { play('right'); },
      '1': function () { choose('left', 'keyboard'); }, arrowleft: function () { choose('left', 'keyboard'); },
      '2': function () { choose('right', 'keyboard'); }, arrowright: function () { choose('right', 'keyboard'); } }[k];
    if (act) {
      e.preventDefault();
      act();
    }
  });

  var saved = localStorage.getItem(KEY);
  if (saved) start(saved);
  else show('start');
})();
