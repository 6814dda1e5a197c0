#!/usr/bin/env bash
# Reverse-tunnel benchmark: a Sluice tunnel (public port -> server -> WebSocket -> agent jar ->
# target) side by side with the direct connection, socat (one user-space hop) and ssh -R (a
# private sshd), all on 127.0.0.1. See docs/benchmarks.md, "Reverse tunnels".
#
#   bench/tunnel/run.sh [--quick] [--server http://127.0.0.1:9080] [--password PW]
#                       [--user admin] [--only=direct,socat,ssh,ssh-aes128gcm,sluice]
#                       [--thread-samples=N]
#
# Needs: a running Sluice server (admin credentials; the password also from
# SLUICE_ADMIN_PASSWORD), target/sluice-agent.jar (mvn package; or SLUICE_AGENT_JAR), JDK 21+
# (JAVA_HOME, default temurin 25), socat, and for the ssh rows openssh-server/-client (installed
# with apt-get when missing and running as root; otherwise ssh is skipped with a note). The
# driver is compiled with javac alone (no dependencies, no Maven). Full run ~4 min, --quick ~2
# min. Results: bench/out/tunnel-results.md, logs in bench/out/logs/ (gitignored).
set -euo pipefail
ORIG_CMD="bench/tunnel/run.sh${*:+ $*}"
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
OUT="$ROOT/bench/out"
mkdir -p "$OUT/logs"

SERVER=http://127.0.0.1:9080
PASSWORD="${SLUICE_ADMIN_PASSWORD:-}"
USER_NAME=admin
PASS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --server) SERVER="$2"; shift 2 ;;
    --server=*) SERVER="${1#*=}"; shift ;;
    --password) PASSWORD="$2"; shift 2 ;;
    --password=*) PASSWORD="${1#*=}"; shift ;;
    --user) USER_NAME="$2"; shift 2 ;;
    --user=*) USER_NAME="${1#*=}"; shift ;;
    *) PASS+=("$1"); shift ;;
  esac
done
# keep the password off the printed/recorded command line
ORIG_CMD=$(printf '%s' "$ORIG_CMD" | sed -E 's/(--password[= ])[^ ]+/\1***/')
case "$SERVER" in
  http://127.0.0.1:*|http://localhost:*|https://127.0.0.1:*|https://localhost:*) ;;
  *) echo "--server must be on 127.0.0.1 (loopback only)" >&2; exit 2 ;;
esac
AGENT_JAR="${SLUICE_AGENT_JAR:-$ROOT/target/sluice-agent.jar}"
[ -f "$AGENT_JAR" ] || AGENT_JAR=/work/main/target/sluice-agent.jar

CLASSES="$OUT/tunnel-classes"
rm -rf "$CLASSES"
javac -nowarn -d "$CLASSES" bench/src/main/java/io/sluice/bench/TunnelBench.java

# ---- private sshd for the ssh -R rows ---------------------------------------------------------
SSH_ARGS=()
SSH_NOTE=""
SSHD_PID=""
if [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server openssh-client) \
      >"$OUT/logs/apt-ssh.log" 2>&1 || SSH_NOTE="apt-get install openssh-server failed (see bench/out/logs/apt-ssh.log)"
  else
    SSH_NOTE="no /usr/sbin/sshd and cannot install it (not root or no apt-get)"
  fi
fi
cleanup() {
  if [ -n "$SSHD_PID" ]; then kill "$SSHD_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
if [ -z "$SSH_NOTE" ] && [ -x /usr/sbin/sshd ]; then
  D="$OUT/ssh"
  rm -rf "$D"; mkdir -p "$D"; chmod 700 "$D"
  ssh-keygen -q -t ed25519 -N '' -f "$D/host_ed25519" >/dev/null
  ssh-keygen -q -t ed25519 -N '' -f "$D/client_ed25519" >/dev/null
  cp "$D/client_ed25519.pub" "$D/authorized_keys"; chmod 600 "$D/authorized_keys"
  SSHD_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo 22222)
  ME=$(id -un)
  cat >"$D/sshd_config" <<CFG
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $D/host_ed25519
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys
AllowUsers $ME
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
StrictModes no
AllowTcpForwarding yes
GatewayPorts no
X11Forwarding no
PrintMotd no
UseDNS no
LogLevel ERROR
CFG
  [ "$(id -u)" = 0 ] && mkdir -p /run/sshd
  if /usr/sbin/sshd -t -f "$D/sshd_config" 2>"$OUT/logs/sshd-test.log"; then
    /usr/sbin/sshd -D -e -f "$D/sshd_config" 2>"$OUT/logs/sshd.log" &
    SSHD_PID=$!
    for _ in $(seq 50); do
      (exec 3<>/dev/tcp/127.0.0.1/"$SSHD_PORT") 2>/dev/null && break
      sleep 0.1
    done
    SSH_ARGS=(--sshd-port="$SSHD_PORT" --sshd-pid="$SSHD_PID" --ssh-key="$D/client_ed25519" --ssh-user="$ME")
  else
    SSH_NOTE="sshd -t rejected the private config (see bench/out/logs/sshd-test.log)"
  fi
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 20000
export SLUICE_ADMIN_PASSWORD="$PASSWORD"
java -Xms256m -Xmx1g -cp "$CLASSES" io.sluice.bench.TunnelBench --out="$OUT" --server="$SERVER" --user="$USER_NAME" \
  --agent-jar="$AGENT_JAR" --java="$JAVA_HOME/bin/java" --command="$ORIG_CMD" --ssh-note="$SSH_NOTE" \
  "${SSH_ARGS[@]}" "${PASS[@]}"
