#!/usr/bin/env bash
# Installs the Debian packages the tests drive (browser, reverse proxies, Apache with mod_auth_openidc as an
# OpenID Connect relying party, the benchmark's load generator, PostgreSQL for the suites run against it) when missing.
# Needs root (or sudo) and Debian's package lists; prints the command otherwise.
set -euo pipefail
declare -A package_of=([chromium]=chromium [nginx]=nginx-light [caddy]=caddy [haproxy]=haproxy [wrk]=wrk)
missing=()
for command in "${!package_of[@]}"; do
  command -v "$command" >/dev/null 2>&1 || [ -x "/usr/sbin/$command" ] || missing+=("${package_of[$command]}")
done
# Apache with mod_auth_openidc: a real OpenID Connect relying party for the end-to-end tests.
[ -f /usr/lib/apache2/modules/mod_auth_openidc.so ] && [ -x /usr/sbin/apache2 ] || missing+=(apache2 libapache2-mod-auth-openidc)
# PostgreSQL's server binaries (server/testing/postgres.ts runs initdb and pg_ctl from there; no service needed).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages for the tests: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ -n "$sudo" ] && ! command -v sudo >/dev/null 2>&1; then
  echo "Run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
# The packages start their own services on port 80 on some systems; the tests start their own instances.
for service in nginx caddy haproxy apache2 postgresql; do $sudo service "$service" stop >/dev/null 2>&1 || true; done
