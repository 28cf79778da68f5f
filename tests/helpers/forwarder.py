"""A TCP forwarder in front of a simulated unit's port that counts the connections (logins) it carries."""

from __future__ import annotations

import asyncio
import threading
from typing import Any


class CountingForwarder:
    """A TCP forwarder in front of a unit's SSH port that counts the connections (logins) it carries."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        started = threading.Event()

        async def pipe(reader: Any, writer: Any) -> None:
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()

        async def handle(reader: Any, writer: Any) -> None:
            self.connections += 1
            up_reader, up_writer = await asyncio.open_connection(*self.target)
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

        async def main() -> None:
            self._server = await asyncio.start_server(handle, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]
            started.set()
            try:
                await self._server.serve_forever()
            except asyncio.CancelledError:
                pass  # stop(): the server closed

        self._thread = threading.Thread(target=lambda: self._loop.run_until_complete(main()), daemon=True)
        self._thread.start()
        assert started.wait(10)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
