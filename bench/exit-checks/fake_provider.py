#!/usr/bin/env python3
"""A fake proxy provider for the exit-check benchmark: one SOCKS5 endpoint (no auth) on each port
of a range on 127.0.0.1, relaying to any loopback destination. Loopback only; stops after
--seconds. --latency-ms N delays every CONNECT answer by N ms (a provider far away).
Usage: fake_provider.py FIRST_PORT COUNT [--seconds 900] [--latency-ms 0]"""
import asyncio
import socket
import struct
import sys

LATENCY = 0.0

async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.close()
        except OSError:
            pass


async def handle(reader, writer):
    try:
        head = await reader.readexactly(2)
        await reader.readexactly(head[1])
        writer.write(b"\x05\x00")
        ver, cmd, _, atyp = await reader.readexactly(4)
        if atyp == 1:
            host = socket.inet_ntoa(await reader.readexactly(4))
        elif atyp == 3:
            n = (await reader.readexactly(1))[0]
            host = (await reader.readexactly(n)).decode()
        else:
            host = socket.inet_ntop(socket.AF_INET6, await reader.readexactly(16))
        port = struct.unpack("!H", await reader.readexactly(2))[0]
        if host not in ("127.0.0.1", "localhost", "::1"):
            writer.write(b"\x05\x02\x00\x01\x00\x00\x00\x00\x00\x00")
            writer.close()
            return
        if LATENCY > 0:
            await asyncio.sleep(LATENCY)
        up_r, up_w = await asyncio.open_connection(host, port)
        writer.write(b"\x05\x00\x00\x01\x7f\x00\x00\x01\x00\x00")
        await asyncio.gather(pipe(reader, up_w), pipe(up_r, writer))
    except (asyncio.IncompleteReadError, ConnectionError, OSError):
        writer.close()


async def main(first, count, seconds):
    servers, busy = [], []
    for p in range(first, first + count):
        try:
            servers.append(await asyncio.start_server(handle, "127.0.0.1", p, backlog=64))
        except OSError:
            busy.append(p)  # taken by another program: that exit will check as unreachable
    print(f"fake provider listening on 127.0.0.1:{first}-{first + count - 1}"
          f" ({len(busy)} ports busy: {busy[:10]})", flush=True)
    await asyncio.sleep(seconds)


if __name__ == "__main__":
    first, count = int(sys.argv[1]), int(sys.argv[2])
    seconds = int(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 900
    if "--latency-ms" in sys.argv:
        LATENCY = int(sys.argv[sys.argv.index("--latency-ms") + 1]) / 1000.0
    asyncio.run(main(first, count, seconds))
