"""The FastAPI application: a read-only JSON API and server-rendered pages over a knowledge base.

`create_app(db_path)` opens the SQLite knowledge base read-only (one connection per worker thread)
and mounts the API (`/api/...`, OpenAPI at `/openapi.json`), the pages and the local static assets.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypeVar

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from khabar.article import Article
from khabar.errors import InputError, KhabarError, NotFoundError, QueryError, QueryTimeoutError
from khabar.schema.problems import PROBLEM_MEDIA_TYPE, problem
from khabar.serve.analysis import AnalysisFailedError, AnalysisTimeoutError, ProcessAnalyzer
from khabar.serve.limits import GuardMiddleware, LimitsMiddleware
from khabar.store.lookup import Resolution

HERE = Path(__file__).resolve().parent
T = TypeVar("T")

# 1 MiB: a long Hindi article is ~30 KB of UTF-8; the issue asks for a 1 MB limit on /api/analyze.
MAX_BODY_BYTES = 1024 * 1024
# Wall-time bound for any request; analysis has its own, shorter bound below.
REQUEST_TIMEOUT_S = 30.0
# The example article analyses in 20-45 ms and 200 KB of text in ~2 s here; a 930 KB paste (just
# under the body limit) took 12-19 s on the shared 2-core sandbox, so most accepted bodies finish.
ANALYZE_TIMEOUT_S = 20.0
# Analyses allowed at once (one worker process each); more get 503 at once, so pasted texts cannot
# pile up work on a 2-core machine.
ANALYZE_SLOTS = 2
# Threads (each with its own read-only SQLite connection) serving knowledge-base queries.
KB_THREADS = 4
# Deadline of one knowledge-base call: SQLite itself stops the query (progress handler), so a costly
# search frees its thread. A search over 10,000 articles takes 5-80 ms here.
QUERY_TIMEOUT_S = 5.0


class KBReader(Protocol):
    """The read-only query API of the knowledge base (`khabar.store.kb.KnowledgeBase`)."""

    def stats(self) -> dict[str, Any]: ...

    def count_search(
        self,
        query: str,
        *,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> int: ...

    def count_entities(self, type: str | None = None) -> int: ...

    def count_events(
        self,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        modality: str | None = None,
    ) -> int: ...

    def count_duplicates(self) -> int: ...

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]: ...

    def count_articles(self) -> int: ...

    def search(
        self,
        query: str,
        *,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[dict[str, Any]]: ...

    def search_results(
        self,
        query: str,
        *,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        source: str | None = None,
        limit: int = 20,
        offset: int = 0,
        mode: str = "keyword",
        facets: bool = False,
        group: bool = True,
    ) -> dict[str, Any]: ...

    def get_article(self, article_id: str) -> dict[str, Any] | None: ...

    def list_entities(
        self, type: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[dict[str, Any]]: ...

    def get_entity(self, id_or_name: str) -> dict[str, Any] | None: ...

    def resolve(self, query: str, type: str | None = None) -> Resolution: ...

    def list_events(
        self,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 100,
        modality: str | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]: ...

    def duplicates(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """Limits of one server."""

    max_body_bytes: int = MAX_BODY_BYTES
    request_timeout_s: float = REQUEST_TIMEOUT_S
    analyze_timeout_s: float = ANALYZE_TIMEOUT_S
    analyze_slots: int = ANALYZE_SLOTS
    kb_threads: int = KB_THREADS
    query_timeout_s: float = QUERY_TIMEOUT_S
    # Host header values accepted (against DNS rebinding), e.g. ("127.0.0.1", "localhost"); None
    # accepts any (`khabar serve` always sets them from the bind address and --allow-host).
    allowed_hosts: tuple[str, ...] | None = None


AnalyzeFn = Callable[[str, date | None], Article]


def open_readonly_kb(db_path: Path) -> KBReader:
    """Open the knowledge base at `db_path` read-only."""
    from khabar.store.kb import KnowledgeBase

    kb: KBReader = KnowledgeBase(db_path, readonly=True)
    return kb


def run_analysis(text: str, published: date | None) -> Article:
    """The full pipeline over one pasted text; nothing is stored."""
    from khabar.pipeline import analyze

    return analyze(text, published=published)


class Services:
    """What the routes use: knowledge-base calls on worker threads, bounded analysis, templates."""

    def __init__(
        self,
        open_kb: Callable[[], KBReader],
        analyze_fn: AnalyzeFn | None,
        options: ServeOptions,
    ) -> None:
        self.options = options
        self._open_kb = open_kb
        self._analyze_fn = analyze_fn or run_analysis
        # The real pipeline runs in worker processes that can be killed at the time limit.
        self._processes = ProcessAnalyzer(options.analyze_timeout_s) if analyze_fn is None else None
        self._local = threading.local()
        self._kbs: list[KBReader] = []
        self._kbs_lock = threading.Lock()
        self._closed = False
        self._kb_pool = ThreadPoolExecutor(options.kb_threads, thread_name_prefix="khabar-kb")
        self._analyze_pool = ThreadPoolExecutor(options.analyze_slots, thread_name_prefix="khabar-analyze")
        self._slots = threading.BoundedSemaphore(options.analyze_slots)
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.ChainableUndefined,  # a missing field shows empty, never a 500
        )
        from khabar.serve.english import bi, role_en, roles, wikidata_link
        from khabar.serve.markup import ENTITY_TYPES, TYPE_LABELS, api_link, article_href, entity_href

        env.globals.update(
            entity_href=entity_href,
            article_href=article_href,
            type_labels=TYPE_LABELS,
            entity_types=ENTITY_TYPES,
            bi=bi,
            roles=roles,
            role_en=role_en,
            wikidata_link=wikidata_link,
            api_link=api_link,
        )
        self.templates = Jinja2Templates(env=env)

    def start(self) -> None:
        """Make the worker threads again after `close` (an app may be started more than once)."""
        if not self._closed:
            return
        self._closed = False
        self._local = threading.local()
        self._kbs = []
        self._kb_pool = ThreadPoolExecutor(self.options.kb_threads, thread_name_prefix="khabar-kb")
        self._analyze_pool = ThreadPoolExecutor(
            self.options.analyze_slots, thread_name_prefix="khabar-analyze"
        )

    def _thread_kb(self) -> KBReader:
        kb: KBReader | None = getattr(self._local, "kb", None)
        if kb is None:
            kb = self._open_kb()
            self._local.kb = kb
            with self._kbs_lock:
                self._kbs.append(kb)
        return kb

    def _bounded_call(self, call: Callable[[KBReader], T]) -> T:
        """`call(kb)` under the query deadline when the store supports one (`KnowledgeBase.deadline`)."""
        kb = self._thread_kb()
        deadline = getattr(kb, "deadline", None)
        if deadline is None:
            return call(kb)
        with deadline(self.options.query_timeout_s):
            return call(kb)

    async def query(self, call: Callable[[KBReader], T]) -> T:
        """Run `call(kb)` on a KB worker thread; a malformed query becomes HTTP 400, an unknown entity
        filter 404, one stopped at its deadline 504."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._kb_pool, self._bounded_call, call)
        except NotFoundError as exc:
            raise HTTPException(404, str(exc)) from None
        except QueryTimeoutError as exc:
            raise HTTPException(504, str(exc)) from None
        except (QueryError, InputError) as exc:
            raise HTTPException(400, str(exc) or "bad query") from None

    async def analyze(self, text: str, published: date | None) -> dict[str, Any]:
        """`Article.to_dict()` of a text (no `raw`): 503 when all slots are busy, 504 past the time limit."""
        if not self._slots.acquire(blocking=False):
            raise HTTPException(503, "the analyser is busy; try again in a few seconds")
        loop = asyncio.get_running_loop()
        if self._processes is not None:
            try:
                return await loop.run_in_executor(self._analyze_pool, self._processes.run, text, published)
            except AnalysisTimeoutError as exc:
                raise HTTPException(504, str(exc)) from None
            except AnalysisFailedError as exc:
                raise HTTPException(500, str(exc)) from None
            except KhabarError as exc:
                raise HTTPException(400, str(exc)) from None
            finally:
                self._slots.release()
        # An injected analyser runs on a thread, which cannot be stopped: its slot stays taken
        # until it really finishes.
        try:
            future: Future[Article] = self._analyze_pool.submit(self._analyze_fn, text, published)
        except RuntimeError:
            self._slots.release()
            raise
        future.add_done_callback(lambda _f: self._slots.release())
        try:
            article = await asyncio.wait_for(asyncio.wrap_future(future), self.options.analyze_timeout_s)
        except TimeoutError:
            raise HTTPException(
                504, f"analysis took longer than {self.options.analyze_timeout_s:g} s; send a shorter text"
            ) from None
        except KhabarError as exc:
            raise HTTPException(400, str(exc)) from None
        data = article.to_dict()
        data.pop("raw", None)
        return data

    def live_analysis_workers(self) -> int:
        """How many analysis worker processes are running."""
        return self._processes.live_workers() if self._processes is not None else 0

    def busy_analysis_workers(self) -> int:
        """How many analysis worker processes are analysing a text now."""
        return self._processes.busy_workers() if self._processes is not None else 0

    def close(self) -> None:
        """Stop the worker threads and processes, closing their connections; running queries are
        interrupted first, so shutting down never waits on one."""
        self._closed = True
        with self._kbs_lock:
            running = list(self._kbs)
        for kb in running:
            interrupt = getattr(kb, "interrupt", None)
            if interrupt is not None:
                with suppress(Exception):
                    interrupt()
        if self._processes is not None:
            self._processes.close()
        self._analyze_pool.shutdown(wait=False, cancel_futures=True)
        barrier = threading.Barrier(self.options.kb_threads)

        def close_local() -> None:
            kb = getattr(self._local, "kb", None)
            if kb is not None and hasattr(kb, "close"):
                kb.close()
            self._local.kb = None
            with suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=2)

        for _ in range(self.options.kb_threads):
            self._kb_pool.submit(close_local)
        self._kb_pool.shutdown(wait=True)


def get_services(request: Request) -> Services:
    """The services of the app serving this request."""
    services: Services = request.app.state.khabar
    return services


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def render_error(
    request: Request, status: int, message: str, errors: list[tuple[str, str]] | None = None
) -> Response:
    """An error as RFC 9457 problem details for the API and as a page elsewhere."""
    if _wants_json(request):
        body = problem(status, message, request.url.path, errors)
        return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)
    services = get_services(request)
    return services.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


async def handle_http_error(request: Request, exc: Exception) -> Response:
    """HTTP errors (404, 400, 413, 503, 504) as JSON or a page."""
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"nothing at {request.url.path}"
    response = render_error(request, exc.status_code, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    """Bad parameters are the client's mistake: 400 with a readable message and each parameter in
    `errors` (the OpenAPI documents 400, not FastAPI's 422)."""
    assert isinstance(exc, RequestValidationError)
    problems: list[tuple[str, str]] = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        message = str(err.get("msg", "invalid"))
        if err.get("type") in ("date_from_datetime_parsing", "date_parsing", "date_type"):
            message = f"must be a date as YYYY-MM-DD, got {err.get('input')!r}"
        problems.append((where or "request", message))
    detail = "; ".join(f"{where}: {message}" for where, message in problems) or "invalid request"
    return render_error(request, 400, detail, problems)


def typed_openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document with errors as documented: problem details under
    `application/problem+json`, 400 for invalid parameters (FastAPI's own 422 entries removed)."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            responses.pop("422", None)
            for code, answer in responses.items():
                content = answer.get("content", {})
                if code[0] in "45" and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
    components = schema.get("components", {}).get("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    app.openapi_schema = schema
    return schema


def create_app(
    db_path: str | Path,
    options: ServeOptions | None = None,
    *,
    open_kb: Callable[[], KBReader] | None = None,
    analyze_fn: AnalyzeFn | None = None,
) -> FastAPI:
    """The web app over the knowledge base at `db_path`, opened read-only.

    `open_kb` (a factory called once per worker thread) and `analyze_fn` replace the real store and
    pipeline, for tests.
    """
    from khabar.serve import api, pages

    path = Path(db_path)
    if open_kb is None:
        if not path.is_file():
            raise InputError(f"no knowledge base at {path}; build one with: khabar ingest PATH --db {path}")

        def open_kb() -> KBReader:
            return open_readonly_kb(path)

    opts = options or ServeOptions()
    services = Services(open_kb, analyze_fn, opts)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        services.start()
        yield
        services.close()

    app = FastAPI(
        title="khabar",
        summary="Hindi news knowledge base: search, articles, entities, events, duplicates, analysis.",
        version=_version(),
        docs_url=None,  # Swagger UI and ReDoc load assets from a CDN; khabar works offline.
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.khabar = services
    app.state.db_path = str(path)
    app.add_middleware(LimitsMiddleware, max_body=opts.max_body_bytes, timeout_s=opts.request_timeout_s)
    app.add_middleware(GuardMiddleware, allowed_hosts=opts.allowed_hosts)
    app.add_exception_handler(HTTPException, handle_http_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.openapi = lambda: typed_openapi(app)  # type: ignore[method-assign]
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("khabar")
    except PackageNotFoundError:
        return "0"


__all__ = ["KBReader", "ServeOptions", "create_app"]
