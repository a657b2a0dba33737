#!/usr/bin/env bash
# Installs what Tests/Wild/requirements.txt lists and is missing: Debian packages with apt-get
# (one `apt-get update` first, only when something is missing), Python packages with pip.
set -euo pipefail
req="$(dirname "$0")/requirements.txt"
apt_need=()
for pkg in $(sed -n 's/^apt: *//p' "$req"); do
  dpkg -s "$pkg" >/dev/null 2>&1 || apt_need+=("$pkg")
done
if [ ${#apt_need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_need[@]}" >/dev/null
fi
for pkg in $(sed -n 's/^pip: *//p' "$req"); do
  module=$([ "$pkg" = pillow ] && echo PIL || echo "$pkg")
  python3 -c "import $module" 2>/dev/null || python3 -m pip install -q "$pkg"
done
