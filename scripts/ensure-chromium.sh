#!/bin/sh
# Make Debian's Chromium available for the browser tests. Without root or apt, the browser
# tests skip with a message (CI sets DANVAN_REQUIRE_BROWSER=1 so they fail instead).
set -e
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium fonts-noto-core >/dev/null
else
  echo "chromium is not installed and cannot be installed here: browser tests will be skipped." >&2
fi
