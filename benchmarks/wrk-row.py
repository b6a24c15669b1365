"""One tab-separated row from a wrk --latency run read on stdin: the given label fields, then requests/s, p50 and p99
in ms, non-2xx responses, socket errors ("-" when none) and the load average. Used by tls-overhead.sh and
recall-http.sh: python3 benchmarks/wrk-row.py LABEL... < wrk-output"""
import re
import sys

out = sys.stdin.read()


def ms(v):
    n, unit = re.match(r"([\d.]+)(\w+)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
sock = re.search(r"Socket errors: (.*)", out)
load = " ".join(open("/proc/loadavg").read().split()[:3])
print("\t".join(sys.argv[1:] + [f"{rps:.0f}", f"{ms(lat['50']):.2f}", f"{ms(lat['99']):.2f}",
                                 errors.group(1) if errors else "0", sock.group(1) if sock else "-", load]))
