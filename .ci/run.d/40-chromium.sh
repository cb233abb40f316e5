# Sourced by .ci/run before the tests: installs Debian's headless-capable
# `chromium` when absent, for the browser tests of the web dashboard
# (TestWebPagesInChromium in cmd/nbasim, driven with chromedp). Under
# CI=true that test fails when no browser is found.
# (Sourced, so no `exit`: failures are reported and left to the test.)
nbasim_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    echo "40-chromium: $(chromium --version 2>/dev/null | head -1)"
    return 0
  fi
  if command -v apt-get >/dev/null 2>&1; then
    echo "40-chromium: installing chromium (Debian package)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 ||
      echo "40-chromium: could not install chromium" >&2
  fi
  command -v chromium >/dev/null 2>&1 || echo "40-chromium: chromium not available; the browser tests will report it" >&2
}
nbasim_chromium
unset -f nbasim_chromium
