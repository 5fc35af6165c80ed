// Workshops, enhanced: live updates of the presenter and participant pages (server-sent
// events, falling back to polling every few seconds), a countdown timer on the presenter
// view, and dragging notes between groups. Every page works without this script.
(function () {
  'use strict';

  var POLL_MS = 4000;

  // Fetches the page again and swaps in the parts that change, leaving alone anything
  // the person is typing in.
  function refresher(root) {
    var busy = false;
    var again = false;
    return function refresh() {
      if (busy) { again = true; return; }
      var active = document.activeElement;
      if (active && root.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.value) {
        again = true;
        return;
      }
      busy = true;
      var url = window.location.pathname;
      fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(root.id);
          if (!fresh) return;
          var oldItem = root.querySelector('[data-item]');
          var newItem = fresh.querySelector('[data-item]');
          var sameItem = oldItem && newItem && oldItem.getAttribute('data-item') === newItem.getAttribute('data-item');
          var regions = root.id === 'presenter'
            ? ['#results', '[data-answer-count]', '[data-participants]']
            : ['#shared-notes', '[data-votes-left]'];
          if (root.id === 'participant' && !sameItem) {
            root.innerHTML = fresh.innerHTML;
          } else if (root.id === 'presenter' && root.querySelector('h1').textContent !== fresh.querySelector('h1').textContent) {
            root.innerHTML = fresh.innerHTML;
            startTimer(root);
          } else {
            regions.forEach(function (selector) {
              var now = root.querySelector(selector);
              var next = fresh.querySelector(selector);
              if (now && next) now.innerHTML = next.innerHTML;
              else if (!now && next) root.innerHTML = fresh.innerHTML;
            });
          }
          enableDragging(root);
        })
        .catch(function () { /* the next message or poll tries again */ })
        .then(function () {
          busy = false;
          if (again) { again = false; window.setTimeout(refresh, 500); }
        });
    };
  }

  function listen(root) {
    // Live updates make the page's own "reload" link needless.
    Array.prototype.forEach.call(root.querySelectorAll('[data-refresh]'), function (link) {
      link.hidden = true;
    });
    var refresh = refresher(root);
    var polling = null;
    function poll() {
      if (!polling) polling = window.setInterval(refresh, POLL_MS);
    }
    if (!('EventSource' in window)) { poll(); return; }
    var source = new EventSource(root.getAttribute('data-live') + '/events');
    source.addEventListener('changed', refresh);
    source.addEventListener('open', function () {
      if (polling) { window.clearInterval(polling); polling = null; }
    });
    source.addEventListener('error', function () {
      // The browser reconnects by itself; poll meanwhile so nothing is missed.
      poll();
      if (source.readyState === EventSource.CLOSED) {
        window.setTimeout(function () { listen(root); }, POLL_MS);
      }
    });
  }

  function startTimer(root) {
    var timer = root.querySelector('.cradle-timer[data-minutes]');
    if (!timer || timer.getAttribute('data-started')) return;
    timer.setAttribute('data-started', 'true');
    timer.setAttribute('role', 'timer');
    var left = Number(timer.getAttribute('data-minutes')) * 60;
    var running = true;
    var text = document.createElement('span');
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'govuk-button govuk-button--secondary govuk-!-margin-left-2 govuk-!-margin-bottom-0';
    button.textContent = 'Pause timer';
    button.addEventListener('click', function () {
      running = !running;
      button.textContent = running ? 'Pause timer' : 'Resume timer';
    });
    timer.textContent = '';
    timer.appendChild(text);
    timer.appendChild(button);
    function show() {
      var minutes = Math.floor(Math.abs(left) / 60);
      var seconds = String(Math.abs(left) % 60).padStart(2, '0');
      text.textContent = left >= 0
        ? 'Time left: ' + minutes + ':' + seconds
        : 'Over time by ' + minutes + ':' + seconds;
    }
    show();
    var tick = window.setInterval(function () {
      if (!document.body.contains(timer)) { window.clearInterval(tick); return; }
      if (running) { left -= 1; show(); }
    }, 1000);
  }

  // Drag a note onto another group to move it there (the group form does the same
  // without JavaScript).
  function enableDragging(root) {
    var groups = root.querySelector('.cradle-note-groups');
    if (!groups || groups.getAttribute('data-dragging')) return;
    groups.setAttribute('data-dragging', 'true');
    var base = groups.getAttribute('data-notes-base');
    groups.addEventListener('dragstart', function (event) {
      var note = event.target.closest && event.target.closest('[data-note]');
      if (note) event.dataTransfer.setData('text/plain', note.getAttribute('data-note'));
    });
    groups.addEventListener('dragover', function (event) {
      var group = event.target.closest && event.target.closest('.cradle-note-group');
      if (group) { event.preventDefault(); group.classList.add('cradle-drop-target'); }
    });
    groups.addEventListener('dragleave', function (event) {
      var group = event.target.closest && event.target.closest('.cradle-note-group');
      if (group) group.classList.remove('cradle-drop-target');
    });
    groups.addEventListener('drop', function (event) {
      var group = event.target.closest && event.target.closest('.cradle-note-group');
      if (!group) return;
      event.preventDefault();
      group.classList.remove('cradle-drop-target');
      var note = event.dataTransfer.getData('text/plain');
      var token = root.querySelector('input[name="csrf_token"]');
      if (!note || !token) return;
      var body = new URLSearchParams();
      body.set('csrf_token', token.value);
      body.set('cluster', group.getAttribute('data-group') || '');
      fetch(base + '/answers/' + encodeURIComponent(note) + '/group', {
        method: 'POST',
        credentials: 'same-origin',
        body: body,
      }).then(function () { refresher(root)(); });
    });
  }

  // The projector screen: its listed keys submit the page's own (hidden) forms, and T
  // pauses or restarts the timer. Keys typed with a modifier are the browser's.
  if (document.body.classList.contains('cradle-screen-body')) {
    document.addEventListener('keydown', function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var key = (event.key || '').toLowerCase();
      if (key === 't') {
        var timerButton = document.querySelector('.cradle-timer button');
        if (timerButton) { event.preventDefault(); timerButton.click(); }
        return;
      }
      var form = document.querySelector('form[data-key="' + key + '"]');
      if (form) { event.preventDefault(); form.submit(); }
    });
  }

  ['presenter', 'participant'].forEach(function (id) {
    var root = document.getElementById(id);
    if (!root || !root.getAttribute('data-live')) return;
    listen(root);
    startTimer(root);
    enableDragging(root);
  });
})();
