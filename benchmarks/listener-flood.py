# Opens N connections that each send a partial request header and holds them; reports how many were refused with a
# 503 and how soon after their connect, /v1/health while the flood is held and after it leaves.
import resource, selectors, socket, sys, time, urllib.error, urllib.request

port = int(sys.argv[1]); n = int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the attacker needs more descriptors than the server has
PARTIAL = b"GET /v1/health HTTP/1.1\r\nHost: x\r\n"

def health():
    t = time.time()
    try:
        r = urllib.request.urlopen("http://127.0.0.1:%d/v1/health" % port, timeout=20)
        return "%d in %.2f s" % (r.status, time.time() - t)
    except urllib.error.HTTPError as e:
        return "%d %s in %.2f s" % (e.code, e.read().decode()[:60], time.time() - t)
    except Exception as e:
        return "FAIL %s after %.2f s" % (e, time.time() - t)

sel = selectors.DefaultSelector()
socks = []; connected_at = {}; failed = 0
refused = {}; closed_silent = 0

def collect(timeout):
    # A refusal is a 503 followed by a close; answers are read as they come, also while the flood is opened.
    global closed_silent
    for key, _ in sel.select(timeout=timeout):
        s = key.fileobj
        try:
            data = s.recv(4096)
        except Exception:
            data = b""
        if data.startswith(b"HTTP/1.1 503"):
            refused[s] = time.time() - connected_at[s]
        elif not data:
            closed_silent += 1
        sel.unregister(s)

start = time.time()
for i in range(n):
    try:
        s = socket.socket(); s.settimeout(2); s.connect(("127.0.0.1", port)); s.sendall(PARTIAL)
        s.setblocking(False); connected_at[s] = time.time(); socks.append(s)
        sel.register(s, selectors.EVENT_READ)
    except Exception:
        failed += 1
    collect(0)
print("opened %d of %d in %.1f s (%d failed to connect)" % (len(socks), n, time.time() - start, failed))
print("health during the flood:", health())
deadline = time.time() + 15
while time.time() < deadline and len(refused) + closed_silent < len(socks):
    collect(0.5)
waits = sorted(refused.values())
if waits:
    print("refused with 503: %d; time from connect to refusal p50 %.3f s, max %.3f s" % (
        len(waits), waits[len(waits) // 2], waits[-1]))
else:
    print("refused with 503: 0")
print("closed without an answer: %d; still open and unanswered after 15 s: %d" % (
    closed_silent, len(socks) - len(refused) - closed_silent))
for s in socks:
    s.close()
time.sleep(1)
print("health after the flood left:", health())
