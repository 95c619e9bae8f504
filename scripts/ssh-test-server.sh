#!/usr/bin/env bash
# A private OpenSSH server on loopback for the tests of `cachetop fleet --ssh`: Debian's
# openssh-server (installed if missing), its own host key, a key pair for the current user,
# 127.0.0.1 only, on a port of its own; and an ssh_config that names it `fleet-remote`, the host
# name a test instance registers under, so that `ssh -F $SSH_TEST_DIR/ssh_config fleet-remote`
# reaches this machine as if it were another host.
#
#   SSH_TEST_DIR=DIR scripts/ssh-test-server.sh start|stop|env
#
# SSH_TEST_PORT (default 15422) picks the port.
set -euo pipefail
command=${1:-}
dir=${SSH_TEST_DIR:?set SSH_TEST_DIR to a directory for the server}
port=${SSH_TEST_PORT:-15422}

install_server() {
    [ -x /usr/sbin/sshd ] && return
    if [ "$(id -u)" != 0 ]; then
        echo "ssh-test-server: sshd is missing and installing it needs root (apt-get install openssh-server)" >&2
        exit 1
    fi
    echo "ssh-test-server: installing OpenSSH's server from Debian's packages" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null
}

start() {
    install_server
    mkdir -p "$dir"
    chmod 700 "$dir"
    [ -f "$dir/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
    [ -f "$dir/user_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/user_key"
    cp "$dir/user_key.pub" "$dir/authorized_keys"
    chmod 600 "$dir/authorized_keys"
    cat > "$dir/sshd_config" <<CONFIG
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
AllowStreamLocalForwarding yes
AllowTcpForwarding yes
X11Forwarding no
PrintMotd no
CONFIG
    cat > "$dir/ssh_config" <<CONFIG
Host fleet-remote
    HostName 127.0.0.1
    Port $port
    User $(id -un)
    IdentityFile $dir/user_key
    IdentitiesOnly yes
    StrictHostKeyChecking no
    UserKnownHostsFile /dev/null
    LogLevel ERROR
CONFIG
    # Privilege separation needs this directory when the server runs as root.
    if [ "$(id -u)" = 0 ]; then mkdir -p /run/sshd; fi
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
    for _ in $(seq 1 100); do
        if ssh -F "$dir/ssh_config" -o ConnectTimeout=2 -o BatchMode=yes fleet-remote true 2>/dev/null; then
            echo "ssh-test-server: sshd on 127.0.0.1:$port, client config $dir/ssh_config" >&2
            return
        fi
        sleep 0.1
    done
    echo "ssh-test-server: sshd did not accept a login within 10 s; its log:" >&2
    cat "$dir/sshd.log" >&2 || true
    exit 1
}

stop() {
    if [ -f "$dir/sshd.pid" ]; then
        kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
        rm -f "$dir/sshd.pid"
    fi
}

case "$command" in
    start) start ;;
    stop) stop ;;
    env) echo "export SSH_TEST_CONFIG=$dir/ssh_config" ;;
    *) echo "usage: SSH_TEST_DIR=DIR $0 start|stop|env" >&2; exit 2 ;;
esac
