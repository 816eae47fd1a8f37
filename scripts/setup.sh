# Sourced by scripts/run and scripts/test: installs what a fresh Debian or Ubuntu machine
# lacks, and nothing else. apt-get runs with sudo when not root.

# What the app needs to build and run (Tauri 2 on Linux: WebKitGTK 4.1).
APP_PACKAGES=(build-essential pkg-config libwebkit2gtk-4.1-dev libsoup-3.0-dev librsvg2-dev libssl-dev libxdo-dev)
# What the end-to-end tests add: a virtual display, WebKit's WebDriver, and xdotool to
# type into the native save dialog (which WebDriver cannot reach), and PostgreSQL for the
# team hub's tests (each test run starts a throwaway cluster of its own; never the service),
# and openssl, which makes the TLS test's certificates.
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver xdotool postgresql openssl)
# tauri-driver bridges WebDriver clients to WebKitWebDriver; pinned for reproducible runs.
TAURI_DRIVER_VERSION=2.0.5

ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing system packages: ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_tauri_driver() {
  if command -v tauri-driver >/dev/null && cargo install --list | grep -q "^tauri-driver v${TAURI_DRIVER_VERSION}:"; then
    return 0
  fi
  echo "Installing tauri-driver ${TAURI_DRIVER_VERSION}" >&2
  cargo install tauri-driver --version "${TAURI_DRIVER_VERSION}" --locked
}
