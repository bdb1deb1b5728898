# Sourced by the test scripts: export CHROMIUM, the path of Debian's chromium (default /usr/bin/chromium),
# installing it with apt-get where that is possible (root) when it is missing, else failing saying so.
# playwright-core drives it and downloads no browser. Needs a `log` function.
ensure_chromium() {
    local chromium="${CHROMIUM:-/usr/bin/chromium}"
    if ! [ -x "$chromium" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            log "chromium missing: apt-get install chromium"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
        else
            log "chromium missing at $chromium: install Debian's chromium (apt-get install chromium) or set CHROMIUM"
            return 1
        fi
    fi
    export CHROMIUM="$chromium"
}
