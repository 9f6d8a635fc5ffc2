"""``python -m dashboard.devtools.loadtest``: how many visitors one server holds.

Each simulated visitor speaks Streamlit's own websocket protocol (``BackMsg`` /
``ForwardMsg`` protobufs under ``/_stcore/stream``), without a browser: it loads the page,
then changes the round filter again and again, each change a rerun that it times from the
request to the server's "script finished". The server is started here on 127.0.0.1 (or
given with ``--url``, loopback only); runs are bounded in sessions and seconds.

Prints sessions held, reruns per second, p50/p95/p99 rerun latency, first-page latency,
errors and the server's resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.devtools.serving import StreamlitServer

ROUNDS_KEY = "w_rounds"  # the widget a visitor changes (dashboard/state/keys.py: ROUNDS)
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Tally:
    """What the visitors saw."""

    reruns: list[float] = field(default_factory=list)  # seconds, request to script finished
    first_pages: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    held: int = 0  # sessions that loaded the page


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def rerun_message(query: str = "", widgets: tuple = ()) -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = query
    for widget_id, values in widgets:
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = widget_id
        state.string_array_value.data.extend(values)
    return msg.SerializeToString()


async def until_finished(ws, timeout: float) -> dict[str, list[str]]:
    """Read ForwardMsgs until a run finishes; the ids of the widgets it drew, and the options
    of a multiselect (by id). Raises on an exception element, a failed run or a timeout."""
    widgets: dict[str, list[str]] = {}
    async with asyncio.timeout(timeout):
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    raise RuntimeError(f"the page raised: {element.exception.message[:120]}")
                sub = getattr(element, which, None)
                if getattr(sub, "id", ""):
                    widgets[sub.id] = list(getattr(sub, "options", []))
            elif kind == "script_finished":
                if msg.script_finished in FINISHED:
                    return widgets
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    raise RuntimeError(f"the run ended with status {msg.script_finished}")


async def visitor(url: str, seconds: float, tally: Tally, timeout: float, index: int,
                  think: float = 0) -> None:
    """One visitor: load the page, then change the round filter for ``seconds``, pausing after
    each answer for a random time of mean ``think`` seconds, as a reader would (exponential:
    visitors do not click in step, which would queue them all at once)."""
    pauses = random.Random(index)  # the same pauses on every run
    ws_url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                      open_timeout=timeout) as ws:
            started = time.monotonic()
            await ws.send(rerun_message())
            widgets = await until_finished(ws, timeout)
            tally.first_pages.append(time.monotonic() - started)
            tally.held += 1
            until = time.monotonic() + seconds
            rounds_id = next((i for i in widgets if i.endswith(ROUNDS_KEY)), None)
            if rounds_id is None:
                raise RuntimeError("the page drew no round filter")
            options = widgets[rounds_id] or ["2025"]
            turn = index
            while time.monotonic() < until:
                turn += 1
                chosen = [] if turn % (len(options) + 1) == 0 else [
                    options[turn % (len(options) + 1) - 1]]
                started = time.monotonic()
                await ws.send(rerun_message(widgets=((rounds_id, chosen),)))
                await until_finished(ws, timeout)
                tally.reruns.append(time.monotonic() - started)
                await asyncio.sleep(pauses.expovariate(1 / think) if think else 0)
    except Exception as error:  # every failure is counted and named, none stops the run
        tally.errors.append(f"{type(error).__name__}: {str(error)[:120]}")


async def drive(url: str, sessions: int, seconds: float, timeout: float,
                ramp: float, sample=None, think: float = 0) -> Tally:
    """``sessions`` visitors, each changing filters for ``seconds`` once its page loaded;
    ``sample`` (if given) is called every 30 s meanwhile (the soak's memory readings)."""
    tally = Tally()
    until = time.monotonic() + seconds
    tasks = []
    for i in range(sessions):
        tasks.append(asyncio.create_task(visitor(url, seconds, tally, timeout, i, think)))
        await asyncio.sleep(ramp / max(sessions, 1))  # arrivals spread over the ramp
    if sample:
        while time.monotonic() < until - 1:
            await asyncio.sleep(min(30, max(until - time.monotonic(), 0)))
            sample(tally)
    await asyncio.gather(*tasks)
    return tally


def rss_mib(pid: int) -> float | None:
    """Resident memory of a process and its children (Linux /proc), in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def summary(tally: Tally, sessions: int, seconds: float, rss: float | None,
            think: float = 0) -> str:
    reruns = tally.reruns
    paced = f", {think:g} s between changes (mean)" if think else ""
    text = (f"{sessions} sessions, {seconds:g} s each{paced}: held {tally.held}, "
            f"{len(reruns)} reruns ({len(reruns) / seconds:.1f}/s), "
            f"latency p50 {percentile(reruns, .5):.2f} s, "
            f"p95 {percentile(reruns, .95):.2f} s, p99 {percentile(reruns, .99):.2f} s; "
            f"first page p50 {percentile(tally.first_pages, .5):.2f} s; "
            f"errors {len(tally.errors)}")
    if rss is not None:
        text += f"; server RSS {rss:.0f} MiB"
    if tally.errors:
        text += "\n  first error: " + tally.errors[0]
    return text


def in_own_loop(coroutine):
    """Run a coroutine to its end in a thread of its own: the caller may already be inside
    an event loop (Playwright's sync API keeps one running in the test process)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run(sessions: int, seconds: float, *, url: str | None = None, settings=(),
        timeout: float = 60, ramp: float = 2.0, data: str | None = None, soak: bool = False,
        think: float = 0):
    """One bounded run against a server started here (or ``url``); (tally, RSS MiB)."""
    server = None
    if url is None:
        server = StreamlitServer(data=data, settings=list(settings))
        server.wait_ready()
        url = server.url
    elif urlsplit(url).hostname not in LOOPBACK:
        raise SystemExit("--url must be a loopback address (127.0.0.1 or localhost)")
    try:
        # One warm-up visit: the first run of a fresh server also fills its caches.
        in_own_loop(drive(url, 1, 0, timeout, 0))
        started = time.monotonic()

        def sample(tally: Tally) -> None:
            rss = rss_mib(server.process.pid) if server else None
            print(f"  {time.monotonic() - started:5.0f} s: {len(tally.reruns)} reruns, "
                  f"server RSS {rss if rss is None else round(rss)} MiB", flush=True)

        tally = in_own_loop(drive(url, sessions, seconds, timeout, ramp,
                                  sample if soak else None, think))
        rss = rss_mib(server.process.pid) if server else None
        return tally, rss
    finally:
        if server:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.devtools.loadtest",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 50, 100],
                        help="concurrent visitors, one run per figure (default 10 50 100)")
    parser.add_argument("--seconds", type=float, default=30, help="length of each run")
    parser.add_argument("--url", help="a running server on 127.0.0.1 (default: start one)")
    parser.add_argument("--set", action="append", default=[], metavar="OPTION=VALUE",
                        help="a Streamlit setting for the started server, e.g. "
                             "runner.postScriptGC=true (repeatable)")
    parser.add_argument("--data", help="members.geojson to serve (default: the committed one)")
    parser.add_argument("--think", type=float, default=0,
                        help="seconds a visitor pauses after each answer (default 0: "
                             "a new change as soon as the last one is drawn)")
    parser.add_argument("--soak", action="store_true",
                        help="print the server's memory every 30 s (a long run: --seconds 600)")
    args = parser.parse_args(argv)
    if min(args.sessions) < 1 or max(args.sessions) > 500 or not 0 < args.seconds <= 1800 \
            or not 0 <= args.think <= 60:
        parser.error("sessions must be 1-500, seconds 0-1800 and think 0-60")
    settings = [f"--{s}" for s in args.set]
    failed = False
    for sessions in args.sessions:
        tally, rss = run(sessions, args.seconds, url=args.url, settings=settings,
                         data=args.data, soak=args.soak, think=args.think)
        print(summary(tally, sessions, args.seconds, rss, args.think), flush=True)
        failed |= bool(tally.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
