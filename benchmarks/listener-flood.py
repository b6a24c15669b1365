# Opens N connections that each send a partial request header, then checks /v1/health during and after.
import socket, time, sys, urllib.request
port=int(sys.argv[1]); n=int(sys.argv[2])
socks=[]
for i in range(n):
    try:
        s=socket.socket(); s.settimeout(2); s.connect(("127.0.0.1",port)); s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n"); socks.append(s)
    except Exception as e:
        pass
print("opened",len(socks))
def health():
    t=time.time()
    try:
        r=urllib.request.urlopen("http://127.0.0.1:%d/v1/health"%port, timeout=15); return "%d in %.2fs"%(r.status,time.time()-t)
    except Exception as e: return "FAIL %s after %.2fs"%(e,time.time()-t)
print("health during:",health())
for s in socks: s.close()
time.sleep(1)
print("health after:",health())
