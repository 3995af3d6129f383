"""`stpulse report CODE --shop ID --from YYYY-MM --to YYYY-MM --format table|json|xlsx` for any registered report."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import click
import msgspec

from stpulse.domain.reports.registry import REPORTS
from stpulse.domain.reports.table import Table, format_value


def render_text(table: Table) -> str:
    """A plain aligned table: the label column, then every value column (and the total)."""
    head = [table.first_header, *(c.label for c in table.columns)] + ([table.total_label] if table.total_label else [])
    body = []
    for r in table.rows:
        cells = [format_value(v, table.cell_kind(r, c)) for v, c in zip(r.values, table.columns, strict=True)]
        cells += [format_value(r.total, r.kind)] if table.total_label else []
        body.append(["  " * r.level + r.label, *cells])
    widths = [max(len(str(row[i])) for row in [head, *body]) for i in range(len(head))]
    lines = [f"{table.title}, {table.period}", *([table.data_as_of] if table.data_as_of else [])]
    for row in [head, *body]:
        lines.append(" | ".join(str(v).ljust(widths[0]) if i == 0 else str(v).rjust(widths[i])
                                for i, v in enumerate(row)))
    return "\n".join([*lines, *table.warnings])


@click.command()
@click.argument("code")
@click.option("--shop", "shop_id", required=True, type=click.UUID, help="ID магазина")
@click.option("--from", "month_from", required=True, help="Первый месяц, ГГГГ-ММ")
@click.option("--to", "month_to", required=True, help="Последний месяц, ГГГГ-ММ")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "xlsx"]), default="table")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Файл для xlsx")
def report(code: str, shop_id: uuid.UUID, month_from: str, month_to: str, fmt: str, output: Path | None) -> None:
    """Отчёт CODE магазина за период (pnl — ОПиУ, unit — Юнитка, …) — таблицей, JSON или файлом xlsx."""
    if code not in REPORTS:
        known = ", ".join(f"{k} ({v.title})" for k, v in REPORTS.items())
        raise click.BadParameter(f"нет отчёта «{code}»; есть: {known}", param_hint="CODE")
    from stpulse.adapters.xlsx.reports import XlsxReportWriter
    from stpulse.application.reports.cli import shop_report
    from stpulse.entrypoints.cli.app import _container

    async def run() -> Table:
        container = _container()
        try:
            return await shop_report(container.deps, code, shop_id, month_from, month_to)
        finally:
            await container.close()

    table = asyncio.run(run())
    if fmt == "json":
        click.echo(msgspec.json.encode(table).decode())
    elif fmt == "xlsx":
        path = output or Path(f"{code}_{month_from}_{month_to}.xlsx")
        path.write_bytes(XlsxReportWriter().write_table(table))
        click.echo(f"Файл сохранён: {path}")
    else:
        click.echo(render_text(table))
