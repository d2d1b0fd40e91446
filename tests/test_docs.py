"""`arw docs`: dbt's documentation site of a warehouse, with no environment variable to set,
written to a folder or served on loopback."""
import json
from pathlib import Path

import httpx
import pytest

from flows.docs import serve_folder, write_docs
from warehouse.errors import WarehouseError
from warehouse_harness import copy_warehouse, parse_verdicts

pytestmark = pytest.mark.slow  # dbt docs generate: ~10 s


@pytest.fixture(scope="module")
def docs_run(sample_warehouse, tmp_path_factory) -> tuple[Path, list]:
    """The site of a warehouse whose name has a saved parse (the session's builds), and dbt's
    verdicts on that parse while writing it."""
    folder = tmp_path_factory.mktemp("docs")
    warehouse = copy_warehouse(sample_warehouse, folder / sample_warehouse.name)
    with parse_verdicts() as verdicts:
        site = write_docs(warehouse, folder / "site").parent
    return site, verdicts


@pytest.fixture(scope="module")
def site(docs_run) -> Path:
    return docs_run[0]


def test_the_docs_start_from_the_builds_saved_parse_instead_of_parsing_again(docs_run):
    assert docs_run[1] == [(True, None)]


def test_the_site_documents_every_mart_and_its_columns_from_the_warehouse(site):
    assert sorted(p.name for p in site.iterdir()) == ["catalog.json", "index.html", "manifest.json",
                                                      "static_index.html"]
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    budget = catalog["nodes"]["model.arw.fct_budget"]
    assert budget["metadata"]["schema"] == "main" and "amount_tkr" in budget["columns"]
    assert budget["columns"]["report_id"]["comment"].startswith("SHA-256 hex digest of the PDF bytes")
    assert catalog["nodes"]["model.arw.stg_cells"]["metadata"]["schema"] == "staging"
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["nodes"]["model.arw.v_findings"]["description"].startswith("One row per finding")
    assert "model.arw.fct_budget" in (site / "static_index.html").read_text(encoding="utf-8")


def test_the_site_is_served_on_loopback(site):
    server = serve_folder(site)
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        page = httpx.get(f"http://127.0.0.1:{port}/index.html", timeout=10)
        assert page.status_code == 200 and "<html" in page.text.lower()
        assert httpx.get(f"http://127.0.0.1:{port}/catalog.json", timeout=10).json()["nodes"]
    finally:
        server.shutdown()


def test_a_missing_warehouse_says_to_ingest_first(tmp_path):
    with pytest.raises(WarehouseError, match="does not exist yet: run `arw ingest` first"):
        write_docs(tmp_path / "none.duckdb", tmp_path / "site")
