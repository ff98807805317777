#!/usr/bin/env bash
# Installs what the browser tests need from Debian's packages (Chromium and CJK fonts) when we may.
set -euo pipefail
# The MQTT fault tests and `python -m bench iot` use the broker binary and mosquitto_sub (mosquitto-clients).
if ! command -v mosquitto_sub >/dev/null || [ ! -x /usr/sbin/mosquitto ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "installing mosquitto and mosquitto-clients for the MQTT tests…"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto mosquitto-clients >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto mosquitto-clients >/dev/null; }
  else
    echo "note: mosquitto / mosquitto_sub are missing; the MQTT fault tests and bench iot need them" >&2
  fi
fi
# The serving test runs `minsheng serve` behind the real nginx (TLS terminated there); openssl makes its certificate.
if [ ! -x /usr/sbin/nginx ] || ! command -v openssl >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "installing nginx and openssl for the reverse-proxy test…"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl >/dev/null; }
  else
    echo "note: nginx is missing; the reverse-proxy test will be skipped" >&2
  fi
fi
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing chromium and CJK fonts for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
elif [ "${CI:-}" = "true" ]; then
  echo "CI needs /usr/bin/chromium for the browser tests and cannot install it (not root)" >&2
  exit 1
else
  echo "note: /usr/bin/chromium is missing; browser tests will be skipped" >&2
fi
