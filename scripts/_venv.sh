# Shared by scripts/run, scripts/test and bench/run: find Python >= 3.12, prepare .venv, install Debian packages.
# Sourced, not executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"

find_python() {
    local wanted candidate
    wanted="$(cat "$ROOT/.python-version" 2>/dev/null || echo 3.13)"
    for candidate in \
        "${PYTHON:-}" \
        "$(command -v pyenv >/dev/null 2>&1 && pyenv root)/versions/$wanted/bin/python" \
        "$HOME/.pyenv/versions/$wanted/bin/python" \
        python3.13 python3.12 \
        "$HOME"/.pyenv/versions/3.13*/bin/python "$HOME"/.pyenv/versions/3.12*/bin/python \
        python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "No Python >= 3.12 found. Install one (e.g. 'pyenv install 3.13') or set PYTHON=/path/to/python3.13." >&2
    return 1
}

ensure_venv() {
    # $1: the requirements file to install.
    local python stamp
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
        python="$(find_python)" || exit 1
        echo "==> creating $VENV with $("$python" --version)"
        rm -rf "$VENV"
        "$python" -m venv "$VENV"
    fi
    stamp="$VENV/.installed-$(basename "$1")-$(cat "$ROOT"/requirements*.txt | cksum | cut -d' ' -f1)"
    if [ ! -f "$stamp" ]; then
        echo "==> installing $(basename "$1")"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$1"
        touch "$stamp"
    fi
}

ensure_debian_packages() {
    # $@: Debian packages to install where missing (with sudo when not root).
    local package missing=() sudo=""
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    echo "==> installing Debian packages: ${missing[*]}"
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
