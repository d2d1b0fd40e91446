"""`arw query` without SQL: an interactive, read-only SQL shell on the warehouse, in the manner of
DuckDB's CLI.

- Statements end with `;` and may span lines; several may share a line.
- Dot commands at the start of a statement: .tables, .schema, .format, .maxwidth, .width,
  .maxrows, .help, .quit / .exit (Ctrl-D too).
- Every statement goes through `warehouse.read.run_query`: a read-only connection with file
  access switched off, opened per statement, so the shell never holds the warehouse while you
  type (an `arw ingest` in another terminal is not blocked) and every safety rule applies.
- An error (bad SQL, a refused statement) is one red line; the shell goes on.
- On a terminal: line editing and history with readline, kept in the state directory
  (`.state/query_history`, `ARW_STATE_DIR` moves it), tab completion of table and column names.
  Input that is not a terminal (a pipe, a file) is read without prompts, like a script; the exit
  code is then 1 if any statement failed.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape

PROMPT = "arw> "
CONTINUATION = "...> "
FORMATS = ("table", "csv", "json", "markdown")
HISTORY_LENGTH = 2000

HELP = [
    (".tables [SCHEMA]", "the marts (schema main), or the relations of another schema"),
    (".schema [TABLE]", "columns of a table with their types and descriptions (all marts if none)"),
    (".format table|csv|json|markdown", "how results are shown (.mode works too)"),
    (".maxwidth N", "width of tables in characters; 0: the terminal's"),
    (".width N", "widest column in characters, longer values are cut with …; 0: no limit"),
    (".maxrows N", "rows of a table shown (first and last halves); 0: all"),
    (".help", "this list"),
    (".quit, .exit", "leave the shell (Ctrl-D too)"),
]


# --- statements ------------------------------------------------------------------------------

def split_statements(text: str) -> tuple[list[str], str]:
    """Split SQL text at the semicolons that end statements (not those inside quotes, comments or
    $$-strings): (complete statements without their `;`, the unfinished rest). Statements that
    hold nothing but blanks and comments are dropped."""
    statements: list[str] = []
    start, i, n = 0, 0, len(text)
    meaningful = False  # the current statement holds more than blanks and comments
    while i < n:
        char = text[i]
        if char in "'\"":
            end = _closing_quote(text, i)
            if end < 0:
                return statements, text[start:]
            i, meaningful = end + 1, True
            continue
        if text.startswith("--", i):
            end = text.find("\n", i)
            if end < 0:
                break
            i = end + 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                return statements, text[start:]
            i = end + 2
            continue
        if char == "$":
            tag_end = text.find("$", i + 1)
            tag = text[i:tag_end + 1] if tag_end > 0 else ""
            if tag and (tag == "$$" or tag[1:-1].replace("_", "a").isalnum()) and not tag[1].isdigit():
                end = text.find(tag, tag_end + 1)
                if end < 0:
                    return statements, text[start:]
                i, meaningful = end + len(tag), True
                continue
        if char == ";":
            if meaningful:
                statements.append(text[start:i].strip())
            start, meaningful = i + 1, False
        elif not char.isspace():
            meaningful = True
        i += 1
    return statements, text[start:] if meaningful else ""


def _closing_quote(text: str, i: int) -> int:
    """Index of the quote closing the string or identifier opened at i ('' and "" escape), or -1."""
    quote, j = text[i], i + 1
    while True:
        j = text.find(quote, j)
        if j < 0:
            return -1
        if text.startswith(quote * 2, j):
            j += 2
            continue
        return j


# --- the shell -----------------------------------------------------------------------------

@dataclass
class Shell:
    """The shell's state and its commands; `feed` takes input line by line."""

    warehouse: Path
    out: Console
    err: Console
    format: str = "table"
    maxwidth: int = 0
    width: int = 0
    maxrows: int = 40
    failed: bool = False
    done: bool = False
    buffer: str = ""
    show_table: Callable | None = None  # (columns, rows, types, console, width, maxrows, maxwidth)
    history: "History | None" = None
    limit: dict = field(default_factory=dict)  # run_query's timeout argument (empty: its default)

    def feed(self, line: str) -> None:
        """One line of input: a dot command (at the start of a statement) or SQL."""
        if not self.buffer.strip() and line.lstrip().startswith("."):
            self.buffer = ""
            if self.history:
                self.history.add(line.strip())
            self.command(line.strip())
            return
        self.buffer += line if line.endswith("\n") else line + "\n"
        statements, self.buffer = split_statements(self.buffer)
        for statement in statements:
            if self.history:
                self.history.add(" ".join(statement.split()) + ";")
            self.execute(statement)

    def finish(self) -> None:
        """End of input: a last statement without `;` still runs (as `echo "select 1" | arw query`)."""
        rest, self.buffer = self.buffer, ""
        if rest.strip():
            self.execute(rest.strip())

    def error(self, message: str) -> None:
        self.failed = True
        self.out.file.flush()  # the error follows the output before it, also when both are piped
        self.err.print(f"[red]{escape(message)}[/red]", soft_wrap=True, highlight=False)

    def execute(self, sql: str) -> None:
        from warehouse.errors import WarehouseError
        from warehouse.read import run_query

        try:
            result = run_query(self.warehouse, sql, **self.limit)
        except WarehouseError as error:
            self.error(str(error))
            return
        except KeyboardInterrupt:
            self.error("interrupted")
            return
        if result.columns:
            self.show(result.columns, result.rows, getattr(result, "types", None))

    def show(self, columns: list[str], rows: list, types: list[str] | None = None) -> None:
        from flows.display import csv_text, json_text, markdown_table

        if self.format == "table":
            assert self.show_table is not None
            self.show_table(columns, rows, types, self.out, width=self.width, maxrows=self.maxrows,
                            maxwidth=self.maxwidth)
            return
        text = {"csv": csv_text, "json": json_text, "markdown": markdown_table}[self.format](columns, rows)
        self.out.file.write(text)
        self.out.file.flush()

    # dot commands

    def command(self, line: str) -> None:
        name, argument = (line.split(None, 1) + [""])[:2]
        argument = argument.strip()
        handler = {
            ".tables": self.tables, ".schema": self.schema, ".format": self.set_format, ".mode": self.set_format,
            ".maxwidth": self.set_maxwidth, ".width": self.set_width, ".maxrows": self.set_maxrows,
            ".help": self.help, ".quit": self.quit, ".exit": self.quit, ".q": self.quit,
        }.get(name.lower())
        if handler is None:
            self.error(f"unknown command {name}: .help lists the commands")
            return
        handler(argument)

    def quit(self, _: str = "") -> None:
        self.done = True

    def help(self, _: str = "") -> None:
        from rich.table import Table

        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for command, text in HELP:
            table.add_row(escape(command), escape(text))
        self.out.print(table)
        self.out.print("SQL statements end with ;. They only read: writing, ATTACH, COPY, INSTALL, SET and "
                       "reading files are refused.", highlight=False)

    def _metadata(self, sql: str, params: list) -> list[tuple] | None:
        from warehouse.errors import WarehouseError
        from warehouse.read import run_query

        try:
            return run_query(self.warehouse, sql, params).rows
        except WarehouseError as error:
            self.error(str(error))
            return None

    def tables(self, schema: str = "") -> None:
        from rich.columns import Columns

        relations = self._metadata(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by table_schema, table_name", [])
        if relations is None:
            return
        wanted = schema or "main"
        names = [name for s, name in relations if s.lower() == wanted.lower()]
        others: dict[str, int] = {}
        for s, _ in relations:
            if s.lower() != wanted.lower():
                others[s] = others.get(s, 0) + 1
        if not names:
            self.error(f"no tables in schema {wanted}" + (f": schemas are {', '.join(sorted({*others, 'main'}))}"
                                                         if others else ""))
            return
        self.out.print(Columns([escape(n) for n in names], padding=(0, 3), column_first=True))
        if others:
            listed = ", ".join(f"{s} ({n})" for s, n in sorted(others.items()))
            self.out.print(f"Other schemas: {escape(listed)} — `.tables SCHEMA` lists one, "
                           f"query them as schema.table", highlight=False)

    def schema(self, table: str = "") -> None:
        schema_name, _, table_name = table.rpartition(".")
        if not table:
            self._all_schemas()
            return
        rows = self._metadata(
            "select c.schema_name, c.column_name, c.data_type, c.comment, "
            "coalesce(t.comment, v.comment) "
            "from duckdb_columns() as c "
            "left join duckdb_tables() as t on t.database_name = c.database_name and "
            "  t.schema_name = c.schema_name and t.table_name = c.table_name "
            "left join duckdb_views() as v on v.database_name = c.database_name and "
            "  v.schema_name = c.schema_name and v.view_name = c.table_name "
            "where c.database_name = current_database() and lower(c.table_name) = lower(?) "
            "and (? = '' or lower(c.schema_name) = lower(?)) "
            "order by c.schema_name <> 'main', c.schema_name, c.column_index",
            [table_name, schema_name, schema_name])
        if rows is None:
            return
        if not rows:
            self.error(f"no table or view named {table}: .tables lists them")
            return
        chosen = rows[0][0]
        rows = [r for r in rows if r[0] == chosen]
        title = f"{chosen}.{table_name}" + (f" — {rows[0][4]}" if rows[0][4] else "")
        self.out.print(escape(title), highlight=False)
        has_comments = any(r[3] for r in rows)
        columns = ["column", "type"] + (["description"] if has_comments else [])
        shown = [(r[1], r[2], *([r[3] or ""] if has_comments else [])) for r in rows]
        assert self.show_table is not None
        self.show_table(columns, shown, None, self.out, width=self.width, maxrows=0, maxwidth=self.maxwidth)

    def _all_schemas(self) -> None:
        rows = self._metadata(
            "select table_name, string_agg(column_name || ' ' || data_type, ', ' order by column_index) "
            "from duckdb_columns() where database_name = current_database() and schema_name = 'main' "
            "group by table_name order by table_name", [])
        for name, columns in rows or []:
            self.out.print(f"[bold]{escape(name)}[/bold]({escape(columns)})", highlight=False)

    def set_format(self, value: str) -> None:
        if not value:
            self.out.print(f"{self.format} (one of {', '.join(FORMATS)})", highlight=False)
            return
        if value.lower() not in FORMATS:
            self.error(f".format takes one of {', '.join(FORMATS)}, not {value}")
            return
        self.format = value.lower()

    def _count(self, name: str, value: str) -> int | None:
        if not value.isdigit():
            self.error(f"{name} takes a number of characters or rows (0: no limit), e.g. {name} 100")
            return None
        return int(value)

    def set_maxwidth(self, value: str) -> None:
        if (n := self._count(".maxwidth", value)) is not None:
            self.maxwidth = n

    def set_width(self, value: str) -> None:
        if (n := self._count(".width", value)) is not None:
            self.width = n

    def set_maxrows(self, value: str) -> None:
        if (n := self._count(".maxrows", value)) is not None:
            self.maxrows = n


# --- input -----------------------------------------------------------------------------------

class History:
    """Readline history of statements (one entry per statement, however many lines it took),
    read from and written to a file in the state directory."""

    def __init__(self, path: Path, readline) -> None:
        self.path, self.readline = Path(path), readline
        readline.set_auto_history(False)
        readline.set_history_length(HISTORY_LENGTH)
        try:
            readline.read_history_file(str(self.path))
        except (FileNotFoundError, OSError):
            pass

    def add(self, entry: str) -> None:
        if entry and (self.readline.get_current_history_length() == 0 or
                      self.readline.get_history_item(self.readline.get_current_history_length()) != entry):
            self.readline.add_history(entry)

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.readline.write_history_file(str(self.path))
        except OSError:
            pass  # a read-only state directory costs the history, not the session


def load_readline():
    """readline if this Python has it (not on Windows without pyreadline), else None."""
    try:
        import readline
    except ImportError:
        return None
    return readline


def completer(words: list[str]):
    """Tab completion of dot commands, table and column names and a few keywords."""
    vocabulary = sorted(set(words))

    def complete(text: str, state: int) -> str | None:
        matches = [w for w in vocabulary if w.lower().startswith(text.lower())]
        return matches[state] if state < len(matches) else None

    return complete


KEYWORDS = ["select", "from", "where", "group by", "order by", "limit", "join", "left join", "using", "with",
            "distinct", "count(*)", "sum(", "having", "union all", "describe", "summarize", "and", "or", "not"]


def run(shell: Shell, stdin: TextIO, state_dir: Path, banner: str) -> int:
    """Read statements from a terminal (prompt, readline, history) or from piped input until
    .quit or the end of the input. Returns the exit code: 0, or 1 when piped input had errors."""
    if not stdin.isatty():
        for line in stdin:
            shell.feed(line)
            if shell.done:
                return 1 if shell.failed else 0
        shell.finish()
        return 1 if shell.failed else 0
    readline = load_readline()
    if readline is not None:
        shell.history = History(state_dir / "query_history", readline)
        readline.set_completer(completer(_names(shell) + KEYWORDS + [c for c, _ in HELP]))
        readline.set_completer_delims(" \t\n;,()=<>'\"")
        readline.parse_and_bind("tab: complete")
    shell.out.print(banner, highlight=False)
    try:
        while not shell.done:
            try:
                line = input(CONTINUATION if shell.buffer.strip() else PROMPT)
            except EOFError:
                shell.out.print()
                break
            except KeyboardInterrupt:
                shell.out.print("^C")
                shell.buffer = ""
                continue
            try:
                shell.feed(line)
            except KeyboardInterrupt:
                shell.error("interrupted")
                shell.buffer = ""
    finally:
        if shell.history:
            shell.history.save()
    return 0


def _names(shell: Shell) -> list[str]:
    from warehouse.errors import WarehouseError
    from warehouse.read import run_query

    try:
        rows = run_query(shell.warehouse, "select distinct table_schema, table_name, column_name "
                                          "from information_schema.columns").rows
    except WarehouseError:
        return []
    names = set()
    for schema, table, column in rows:
        names.update({table, f"{schema}.{table}", column})
    return sorted(names)
