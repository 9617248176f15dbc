import type { ListeningSession } from '../run/index.ts';
import { esc } from './html.ts';

/**
 * The listening page (page/index.html): a name-or-code form, then one trial at a time (the
 * original and two candidates, A and B, each with its play button; the choice by click or by
 * key), then a thank-you. listen.js runs it against the `/api/` of `serveListening`; the page
 * loads nothing but its own files. Pure: returns the HTML.
 */
export function renderListenPage(session: ListeningSession): string {
  const what = session.kind === 'generated' ? 'music generated from the brain activity' : 'tracks retrieved from a music library by the brain activity';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>brain2music listening test</title><link rel="icon" href="data:,"><link rel="stylesheet" href="listen.css"></head>
<body data-kind="${esc(session.kind)}" data-trials="${session.trials.length}">
<header><h1>Listening test</h1><p>${session.trials.length} trials; ${esc(what)}. Nothing you answer is shown as right or wrong.</p></header>
<main>
<section id="start">
<p>Each trial plays a piece of music a person heard while their brain was scanned (the <b>original</b>), and two pieces, <b>A</b> and <b>B</b>: ${esc(what)}. One comes from the scan made while that person heard the original, the other from the scan of another piece. Listen to all three (as often as you like), then pick the one that resembles the original more.</p>
<p class="keys">Keys: <kbd>O</kbd> plays the original, <kbd>A</kbd> and <kbd>B</kbd> play the candidates, <kbd>1</kbd> or <kbd>←</kbd> picks A, <kbd>2</kbd> or <kbd>→</kbd> picks B.</p>
<form id="who"><label>Your name or code <input id="listener" name="listener" required pattern="[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}" maxlength="64" autocomplete="off" placeholder="e.g. L01"></label>
<button type="submit">start</button><span class="hint">letters, digits, <code>_ . -</code>; the same name later resumes where you stopped</span></form>
</section>
<section id="trial" hidden>
<p class="progress"><span id="position"></span> of <span id="total"></span> <button type="button" id="switch" class="link">not you?</button></p>
<div class="players">
<div class="player original"><h2>original</h2><button type="button" class="play" data-clip="original">▶ play <kbd>O</kbd></button><audio preload="auto" data-clip="original"></audio></div>
<div class="player"><h2>A</h2><button type="button" class="play" data-clip="left">▶ play <kbd>A</kbd></button><audio preload="auto" data-clip="left"></audio></div>
<div class="player"><h2>B</h2><button type="button" class="play" data-clip="right">▶ play <kbd>B</kbd></button><audio preload="auto" data-clip="right"></audio></div>
</div>
<p class="ask">Which resembles the original more?</p>
<div class="choices"><button type="button" class="choose" data-choice="left" disabled>A <kbd>1</kbd></button><button type="button" class="choose" data-choice="right" disabled>B <kbd>2</kbd></button></div>
<p class="hint" id="need">Play all three to choose.</p>
</section>
<section id="done" hidden><h2>Thank you</h2><p id="done-text"></p></section>
<p id="error" role="alert" hidden></p>
</main>
<script src="listen.js"></script>
</body></html>
`;
}
