"""`scidip report reconcile | annual | country` on a fresh database with the bundled dataset."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from scidip.cli.main import app


def test_report_commands(empty_database_url: str, tmp_path: Path) -> None:
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["--database-url", empty_database_url, *args])
        return result.exit_code, result.output

    assert run("init")[0] == 0
    assert run("load", "japan-mofa")[0] == 0
    code, out = run("report", "reconcile", "--generated-on", "2026-01-31")
    assert code == 0
    assert out.splitlines()[8:13] == [
        "| bluebook-1985-agreements | agreements | 16 | 3 | 1984-12-31 | **differs** |",
        "| bluebook-1985-states | states | 15 | 3 | 1984-12-31 | **differs** |",
        "| bluebook-2023-agreements | agreements | 32 | 32 | 2022-12-31 | **match** |",
        "| bluebook-2023-organisations | organisations | 1 | 1 | 2022-12-31 | **match** |",
        "| bluebook-2023-states | states | 46 | 46 | 2022-12-31 | **match** |",
    ]
    code, out = run("report", "country", "KAZ", "--as-of", "2022-12-31")
    assert code == 0
    assert (
        "- **Agreement between Japan and the USSR on Scientific and Technical Cooperation** "
        "(agreement, signed 10 October 1973): in force for Kazakhstan on 31 December 2022, "
        "inherited from USSR (no later than 7 April 1994)" in out
    )
    pdf = tmp_path / "annual.pdf"
    code, out = run("report", "annual", "--year", "2022", "-f", "pdf", "-o", str(pdf))
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF-")
    html = tmp_path / "annual.html"
    code, _ = run("report", "annual", "--year", "2022", "-f", "html", "-o", str(html))
    assert code == 0 and "<svg" in html.read_text()
    code, out = run("report", "country", "XXX")
    assert code == 4 and "no party with key 'XXX'" in out


def test_public_reader_sees_no_restricted_record(empty_database_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    dataset = tmp_path / "mofa"
    source = Path(__file__).parents[2] / "src" / "scidip" / "datasets" / "japan-mofa"
    dataset.mkdir()
    for f in source.glob("*.yaml"):
        text = f.read_text()
        if f.name == "engagements.yaml":
            # The Brussels visit becomes restricted: a public reader must not see it.
            text = text.replace(
                "- key: kotani-visit-brussels-2022-07\n",
                "- key: kotani-visit-brussels-2022-07\n  sensitivity: restricted\n",
            )
        (dataset / f.name).write_text(text)
    base = ["--database-url", empty_database_url]
    assert runner.invoke(app, [*base, "init"]).exit_code == 0
    assert runner.invoke(app, [*base, "load", str(dataset)]).exit_code == 0
    annual = ["report", "annual", "--year", "2022", "--no-chart"]
    everything = runner.invoke(app, [*base, *annual]).output
    public = runner.invoke(app, [*base, *annual, "--clearance", "public"]).output
    assert "| July 2022 | KOTANI Motoko | Brussels (Belgium) |" in everything
    assert "Brussels" not in public
    assert "for readers cleared for public records" in public
