#!/usr/bin/env bash
# A private Tor network inside its own network namespace (only "lo" and a veth pair whose both ends
# are in the namespace: no tor of it can reach anything outside the machine):
#   - 3 directory authorities (keys from tor-gencert), 2 middle relays;
#   - 3 exits with relay addresses 127.0.0.21-23 (a GeoIPFile maps them to de, us, fr) that send
#     from 10.99.0.21-23 (OutboundBindAddress; tor never binds for loopback destinations);
#   - an IP echo on 10.99.0.1:8088 (the exits accept port 8088 of any address: a policy for one
#     private address is summarised as "reject all" in microdescriptors);
#   - N client nodes configured like Sluice's fleet nodes (client 0 with ExitNodes {de}).
# Prints time to bootstrap, RSS per client node, the exit the echo sees through each client and the
# exit after NEWNYMs (ROTATE=0 skips them; KEEP=1 keeps the work directory).
# Root only (ip netns). Usage: bench/tor-testnet/run.sh [clients]
set -euo pipefail
CLIENTS=${1:-3}
[ "$(id -u)" -eq 0 ] || { echo "needs root (ip netns)" >&2; exit 1; }
command -v tor-gencert >/dev/null || { echo "needs tor-gencert (apt-get install tor)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/tor-testnet.XXXXXX)
NS="sluice-tornet-$$"
ip netns add "$NS"
PIDS_FILE="$WORK/pids"
: >"$PIDS_FILE"
cleanup() {
  while read -r p; do kill "$p" 2>/dev/null || true; done <"$PIDS_FILE"
  sleep 1
  while read -r p; do kill -9 "$p" 2>/dev/null || true; done <"$PIDS_FILE"
  ip netns delete "$NS" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns exec "$NS" ip link set lo up
# tor never binds OutboundBindAddress for connections to loopback, so the echo and the exits'
# outbound addresses live on a veth pair whose both ends are inside the namespace (it leads nowhere).
ip netns exec "$NS" ip link add tn0 type veth peer name tn1
ip netns exec "$NS" ip addr add 10.99.0.1/24 dev tn0
for i in 1 2 3; do ip netns exec "$NS" ip addr add "10.99.0.2$i/24" dev tn0; done
ip netns exec "$NS" ip link set tn0 up
ip netns exec "$NS" ip link set tn1 up
inns() { ip netns exec "$NS" "$@"; }

# tor's GeoIP file: "first,last,CC" with addresses as integers.
ipint() { local IFS=.; read -r a b c d <<<"$1"; echo $(( (a << 24) + (b << 16) + (c << 8) + d )); }
{
  echo "$(ipint 127.0.0.21),$(ipint 127.0.0.21),DE"
  echo "$(ipint 127.0.0.22),$(ipint 127.0.0.22),US"
  echo "$(ipint 127.0.0.23),$(ipint 127.0.0.23),FR"
} >"$WORK/geoip"

common() { # $1 = data directory
  cat <<EOT
TestingTorNetwork 1
DataDirectory $1
RunAsDaemon 0
SocksPort 0
Log notice file $1/notice.log
ContactInfo sluice-testnet
GeoIPFile $WORK/geoip
V3AuthVotingInterval 10
V3AuthVoteDelay 2
V3AuthDistDelay 2
TestingV3AuthInitialVotingInterval 10
TestingV3AuthInitialVoteDelay 2
TestingV3AuthInitialDistDelay 2
TestingDirAuthVoteExit *
TestingDirAuthVoteGuard *
TestingDirAuthVoteHSDir *
TestingMinExitFlagThreshold 0
PathsNeededToBuildCircuits 0.25
AssumeReachable 1
EOT
}

# --- authorities: keys, fingerprints, DirAuthority lines
DIRAUTH="$WORK/dirauth"
: >"$DIRAUTH"
for i in 0 1 2; do
  d="$WORK/auth$i"
  mkdir -p "$d/keys" && chmod 700 "$d"
  (cd "$d/keys" && printf '\n' | tor-gencert --create-identity-key -m 12 -a "127.0.0.1:$((7000 + i))" \
    -i authority_identity_key -s authority_signing_key -c authority_certificate --passphrase-fd 0 >/dev/null 2>&1)
  v3=$(awk '/^fingerprint/ {print $2}' "$d/keys/authority_certificate")
  { common "$d"; echo "ORPort 127.0.0.1:$((5000 + i))"; echo "DirPort 127.0.0.1:$((7000 + i))"; echo "Address 127.0.0.1"; } >"$d/torrc.base"
  fp=$(inns tor --list-fingerprint --defaults-torrc /dev/null -f "$d/torrc.base" --DirAuthority "x orport=1 no-v2 v3ident=$v3 127.0.0.1:1 0000000000000000000000000000000000000000" 2>/dev/null | tail -1 | awk '{print $2$3$4$5$6$7$8$9$10$11}')
  echo "DirAuthority auth$i orport=$((5000 + i)) no-v2 v3ident=$v3 127.0.0.1:$((7000 + i)) $fp" >>"$DIRAUTH"
done

start() { # $1 = data directory; torrc is $1/torrc
  # ip netns exec execs tor: $! is tor's pid
  ip netns exec "$NS" tor --defaults-torrc /dev/null -f "$1/torrc" >"$1/stdout.log" 2>&1 &
  echo $! >>"$PIDS_FILE"
}

for i in 0 1 2; do
  d="$WORK/auth$i"
  { cat "$d/torrc.base" "$DIRAUTH"; echo "AuthoritativeDirectory 1"; echo "V3AuthoritativeDirectory 1";
    echo "AuthDirMaxServersPerAddr 0"; echo "ExitRelay 0"; echo "ExitPolicy reject *:*"; } >"$d/torrc"
  start "$d"
done
for i in 0 1; do
  d="$WORK/relay$i"; mkdir -p "$d" && chmod 700 "$d"
  { common "$d"; cat "$DIRAUTH"; echo "ORPort 127.0.0.1:$((5010 + i))"; echo "Address 127.0.0.1";
    echo "ExitRelay 0"; echo "ExitPolicy reject *:*"; } >"$d/torrc"
  start "$d"
done
for i in 1 2 3; do
  d="$WORK/exit$i"; mkdir -p "$d" && chmod 700 "$d"
  a="127.0.0.2$i"
  { common "$d"; cat "$DIRAUTH"; echo "ORPort $a:$((5020 + i))"; echo "Address $a"; echo "OutboundBindAddress 10.99.0.2$i";
    echo "ExitRelay 1"; echo "ExitPolicyRejectPrivate 0"; echo "ExitPolicyRejectLocalInterfaces 0";
    echo "ExitPolicy accept *:8088"; echo "ExitPolicy reject *:*"; } >"$d/torrc"
  start "$d"
done

# --- IP echo: answers with the address the request came from
ip netns exec "$NS" /usr/bin/python3 -c '
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        b=(self.client_address[0]+"\n").encode()
        self.send_response(200); self.send_header("Content-Length",str(len(b))); self.end_headers(); self.wfile.write(b)
    def log_message(self,*a): pass
http.server.HTTPServer(("10.99.0.1",8088),H).serve_forever()' &
echo $! >>"$PIDS_FILE"

# --- client nodes, configured like Sluice's fleet nodes (extra lines as SLUICE_TOR_TORRC_EXTRA would give)
{ echo "TestingTorNetwork 1"; cat "$DIRAUTH"; echo "GeoIPFile $WORK/geoip"; } >"$WORK/extra.torrc"
t0=$(date +%s.%N)
for i in $(seq 0 $((CLIENTS - 1))); do
  d="$WORK/client$i"; mkdir -p "$d" && chmod 700 "$d"
  { echo "DataDirectory $d"; echo "SocksPort 127.0.0.1:$((9100 + i))"; echo "ControlPort 127.0.0.1:$((9200 + i))";
    echo "CookieAuthentication 1"; echo "ControlPortWriteToFile $d/control-port"; echo "ConfluxEnabled 0";
    echo "MaxCircuitDirtiness 86400";
    if [ "$i" -eq 0 ]; then echo "ExitNodes {de}"; echo "StrictNodes 1"; echo "de" >"$d/countries"; else echo "any" >"$d/countries"; fi
    echo "Log notice file $d/notice.log"; echo "RunAsDaemon 0"; echo "PathsNeededToBuildCircuits 0.25";
    cat "$WORK/extra.torrc"; } >"$d/torrc"
  start "$d"
done
echo "network and $CLIENTS client(s) started in $WORK (namespace $NS); waiting for bootstrap"
ready=0
for _ in $(seq 1 240); do
  ready=$( (grep -l "Bootstrapped 100%" "$WORK"/client*/notice.log 2>/dev/null || true) | wc -l)
  [ "$ready" -ge "$CLIENTS" ] && break
  sleep 1
done
t1=$(date +%s.%N)
echo "clients bootstrapped: $ready/$CLIENTS in $(echo "$t1 - $t0" | bc) s (authorities started at the same time)"
# The first exits enter the consensus a voting round or two after the clients bootstrap.
echo_via() { ip netns exec "$NS" curl -s -m 15 --socks5-hostname "127.0.0.1:$((9100 + $1))" http://10.99.0.1:8088/ || true; }
t2=$t1
for _ in $(seq 1 12); do
  [ -n "$(echo_via 1)" ] && break
  sleep 5
done
t2=$(date +%s.%N)
echo "first answer through a client after $(echo "$t2 - $t0" | bc) s"
newnym() { # NEWNYM over the control port with the cookie, as Sluice does
  /usr/bin/python3 - "$1" <<'PY'
import socket, sys
d = sys.argv[1]
port = int(open(d + "/control-port").read().strip().rsplit(":", 1)[1])
cookie = open(d + "/control_auth_cookie", "rb").read().hex()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(("AUTHENTICATE %s\r\nSIGNAL NEWNYM\r\nQUIT\r\n" % cookie).encode())
print(s.recv(200).decode().replace("\r\n", " ").strip())
PY
}
for i in $(seq 0 $((CLIENTS - 1))); do
  pid=$(pgrep -f "client$i/torrc" | head -1 || true)
  rss=$( [ -n "$pid" ] && awk '/VmRSS/ {print $2}' "/proc/$pid/status" || echo "?")
  first=$(echo_via "$i")
  line="client$i (countries: $(cat "$WORK/client$i/countries")): rss ${rss} KiB, exit seen by the echo: ${first:-(failed)}"
  if [ -n "$first" ] && [ "${ROTATE:-1}" = 1 ]; then
    for _ in 1 2 3 4 5; do
      ip netns exec "$NS" bash -c "$(declare -f newnym); newnym $WORK/client$i" >/dev/null
      sleep 11
      next=$(echo_via "$i")
      [ -n "$next" ] && [ "$next" != "$first" ] && break
    done
    line="$line, after NEWNYM: ${next:-(failed)}"
  fi
  echo "$line"
done
[ -n "${KEEP:-}" ] && echo "kept $WORK"
