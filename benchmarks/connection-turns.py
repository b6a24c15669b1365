"""Where a keep-alive HTTP load's latency goes, from a packet capture of it: per request, the server's side (the
request's last data segment to the answer's first) and the client's (an answer to that connection's next request),
and how many answers each connection got. A fair server answers every connection about equally often.

Capture (root; loopback; only segments with data, headers only):
    tcpdump -i lo -n -s 96 -w CAP.pcap 'tcp port PORT and (tcp[tcpflags] & tcp-push != 0)'
then run the load (wrk -c8 ...) and stop the capture. Read it:
    python3 benchmarks/connection-turns.py CAP.pcap PORT
"""
import collections
import struct
import sys


def segments(path, port):
    """(time, client port, True for a request) of every data segment to or from the server's port."""
    with open(path, "rb") as f:
        header = f.read(24)
        nanos = struct.unpack("<I", header[:4])[0] == 0xA1B23C4D
        link = struct.unpack("<I", header[20:24])[0]
        frame = {1: 14, 113: 16}.get(link, 4)  # Ethernet (tcpdump's loopback), Linux cooked, BSD null
        while True:
            record = f.read(16)
            if len(record) < 16:
                return
            seconds, fraction, captured, _ = struct.unpack("<IIII", record)
            data = f.read(captured)
            ip = data[frame:]
            ip_header = (ip[0] & 15) * 4
            total = struct.unpack(">H", ip[2:4])[0]
            tcp = ip[ip_header:]
            source, target = struct.unpack(">HH", tcp[:4])
            if total - ip_header - (tcp[12] >> 4) * 4 <= 0:
                continue
            at = seconds + fraction / (1e9 if nanos else 1e6)
            if target == port:
                yield at, source, True
            elif source == port:
                yield at, target, False


def percentiles(label, values):
    values = sorted(values)
    n = len(values)
    if n == 0:
        print(f"{label}: none")
        return
    cut = {p: values[min(n - 1, int(n * p))] * 1000 for p in (0.5, 0.9, 0.99, 0.999)}
    print(f"{label}: n {n}, p50 {cut[0.5]:.3f} ms, p90 {cut[0.9]:.3f}, p99 {cut[0.99]:.3f}, "
          f"p99.9 {cut[0.999]:.3f}, max {values[-1] * 1000:.3f}")


def main():
    path, port = sys.argv[1], int(sys.argv[2])
    by_connection = collections.defaultdict(list)
    for at, client, request in segments(path, port):
        by_connection[client].append((at, request))
    server, client, answers = [], [], {}
    for connection, events in by_connection.items():
        asked = answered = None  # the open request's last segment; the last answer's last segment
        count = 0
        for at, request in events:
            if request:
                if answered is not None and asked is None:
                    client.append(at - answered)
                asked, answered = at, None
            else:
                if asked is not None:
                    server.append(at - asked)
                    count += 1
                    asked = None
                answered = at
        answers[connection] = count
    percentiles("server: request to answer", server)
    percentiles("client: answer to next request", client)
    counts = sorted(answers.values())
    print(f"answers per connection ({len(counts)}): min {counts[0]}, max {counts[-1]}; {counts}")


if __name__ == "__main__":
    main()
