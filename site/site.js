// The download page's only script: find the visitor's OS and processor, and put the matching
// installer first. The page is complete without it (every download is in the table below).
/* global document */
'use strict';

(function () {
  var data = JSON.parse(document.getElementById('release-data').textContent);

  /** OS from the user-agent string, which every browser still sends; null for phones and the rest. */
  function osFromUserAgent(ua) {
    if (/Android|iPhone|iPad|iPod|CrOS/i.test(ua)) return null;
    if (/Windows/i.test(ua)) return 'windows';
    if (/Macintosh|Mac OS X/i.test(ua)) return 'macos';
    if (/Linux|X11/i.test(ua)) return 'linux';
    return null;
  }

  /** Processor from the string where it says so (Windows and Linux on ARM); otherwise unknown. */
  function archFromUserAgent(ua) {
    if (/ARM64|aarch64/i.test(ua)) return 'arm64';
    if (/x86_64|x64|Win64|WOW64|amd64/i.test(ua)) return 'x64';
    return null;
  }

  var PLATFORM = { windows: 'Windows', macos: 'macOS', linux: 'Linux' };

  /**
   * Chromium's client hints know the real processor (a Mac's user-agent says "Intel" even on Apple
   * silicon). They are used only when they describe the same OS as the user-agent string.
   */
  function refineArch(os, arch) {
    var hints = navigator.userAgentData;
    if (!hints || typeof hints.getHighEntropyValues !== 'function' || hints.platform !== PLATFORM[os])
      return Promise.resolve(arch);
    return hints.getHighEntropyValues(['architecture', 'bitness']).then(
      function (v) {
        if (v.architecture === 'arm' && v.bitness === '64') return 'arm64';
        if (v.architecture === 'x86' && v.bitness === '64') return 'x64';
        return arch;
      },
      function () {
        return arch;
      },
    );
  }

  function choose(os, arch) {
    var kind = data.primaryKind[os];
    var candidates = data.artifacts.filter(function (a) {
      return a.os === os && a.kind === kind;
    });
    var find = function (wanted) {
      return candidates.filter(function (a) {
        return a.arch === wanted;
      })[0];
    };
    // Unknown Mac processor: Apple silicon first (every Mac sold since 2023), Intel right beside it.
    var primary = find(arch || (os === 'macos' ? 'arm64' : 'x64')) || find('x64') || candidates[0];
    var alternative =
      os === 'macos'
        ? candidates.filter(function (a) {
            return a !== primary;
          })[0]
        : null;
    return { primary: primary, alternative: alternative };
  }

  function show(os, arch) {
    var detected = document.getElementById('detected');
    var button = document.getElementById('primary-download');
    var details = document.getElementById('primary-details');
    var pick = os ? choose(os, arch) : { primary: null };
    if (!pick.primary) {
      detected.textContent = data.unsupported;
      button.parentElement.hidden = true;
      details.hidden = true;
      return;
    }
    var a = pick.primary;
    detected.textContent = data.detected[os];
    button.href = a.url;
    button.textContent = a.primaryLabel;
    button.setAttribute('data-file', a.file);
    details.querySelector('[data-field="file"]').textContent = a.file;
    details.querySelector('[data-field="size"]').textContent = a.size;
    details.querySelector('[data-field="sha256"]').textContent = a.sha256;
    var other = document.getElementById('alternative');
    if (pick.alternative) {
      var link = document.getElementById('alternative-download');
      link.href = pick.alternative.url;
      link.textContent = pick.alternative.alternativeLabel;
      link.setAttribute('data-file', pick.alternative.file);
      other.hidden = false;
    }
    var notes = document.getElementById('notes-' + os);
    if (notes) notes.open = true;
    document.documentElement.setAttribute('data-os', os);
    var rows = document.querySelectorAll('#downloads tbody tr');
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute('data-file') === a.file) rows[i].className = 'recommended';
    }
  }

  var ua = navigator.userAgent;
  var os = osFromUserAgent(ua);
  var guess = archFromUserAgent(ua);
  // A Mac's string always says Intel; only the hints can tell.
  if (os === 'macos') guess = null;
  (os ? refineArch(os, guess) : Promise.resolve(null)).then(function (arch) {
    show(os, arch);
    document.documentElement.setAttribute('data-ready', 'true');
  });
})();
