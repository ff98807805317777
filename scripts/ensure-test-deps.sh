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
# The topology test (minsheng/ops/tests/test_topology.py) runs the shipped nginx site and a private redis-server.
if [ ! -x /usr/sbin/nginx ] || ! command -v redis-server >/dev/null || ! command -v openssl >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "installing nginx, redis-server and openssl for the topology test…"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx redis-server openssl >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx redis-server openssl >/dev/null; }
  else
    echo "note: nginx / redis-server / openssl are missing; the topology test needs them" >&2
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
