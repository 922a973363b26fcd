"""`dagy sensors list|create|show|enable|disable|rotate-token|delete`: sensors (webhook,
s3, polling) on the control plane, over the /sensors API (see docs/sensors.md).

A webhook's token is a credential the server answers only on create and on rotation, so
those two commands print it (with the path to POST to) and say it is shown once."""

from __future__ import annotations

import json
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from dagy.domain.errors import DagyError
from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.params import parse_params
from dagy.entrypoints.cli.remote import JsonOption, ProfileOption, stdout_console, write_line
from dagy.entrypoints.cli.suggest import deployment_hint

sensors_app = typer.Typer(help="Create, list, inspect, enable, disable and delete sensors.",
                          no_args_is_help=True, pretty_exceptions_enable=False)
IdArgument = Annotated[str, typer.Argument(metavar="SENSOR_ID")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


class SensorCliError(DagyError):
    exit_code = 2


def _config(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise SensorCliError(f"--config is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise SensorCliError("--config must be a JSON object")
    return value


def _print_token(sensor: dict) -> None:
    if sensor.get("webhook_token"):
        write_line(f"webhook_token {sensor['webhook_token']}")
        write_line(f"webhook_path {sensor['webhook_path']}  (POST here; the token is shown "
                   "only now: keep it, or rotate it)")


@sensors_app.command("create")
def create(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    sensor_type: Annotated[str, typer.Option(
        "--type", "-t", metavar="webhook|s3|polling", help="The kind of sensor.")],
    deployment: Annotated[str, typer.Option("--deployment", "-d", help="Deployment to run.")],
    config: Annotated[Optional[str], typer.Option(
        "--config", metavar="JSON", help="The sensor's config as a JSON object.")] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "--param", "-p", metavar="KEY=VALUE", help="A fixed run parameter. Repeat for more.")] = None,
    disabled: Annotated[bool, typer.Option("--disabled", help="Create it disabled.")] = False,
    profile: ProfileOption = None,
) -> None:
    """Create a sensor; a webhook's token is printed once."""
    client = remote.make_client(profile)
    with deployment_hint(client, deployment):
        sensor = client.create_sensor(name, sensor_type, deployment, config=_config(config),
                                      flow_params=parse_params(param or []) or None,
                                      enabled=not disabled)
    write_line(f"{sensor['sensor_id']} {sensor['sensor_type']} "
               f"{'enabled' if sensor['enabled'] else 'disabled'}")
    _print_token(sensor)


@sensors_app.command("list")
def list_(sensor_type: Annotated[Optional[str], typer.Option(
              "--type", "-t", metavar="webhook|s3|polling", help="Only this kind.")] = None,
          as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """Every sensor (of one kind with --type)."""
    items = remote.make_client(profile).list_sensors(sensor_type)
    if as_json:
        write_line(json.dumps(items))
        return
    table = Table("ID", "NAME", "TYPE", "DEPLOYMENT", "ENABLED", "LAST TRIGGERED")
    for s in items:
        table.add_row(*(escape(str(v) if v is not None else "-") for v in (
            s["sensor_id"], s["name"], s["sensor_type"], s["deployment_name"],
            "yes" if s["enabled"] else "no", s.get("last_triggered_at"))))
    stdout_console().print(table if items else "no sensors")


@sensors_app.command("show")
def show(sensor_id: IdArgument, as_json: JsonOption = False,
         profile: ProfileOption = None) -> None:
    """One sensor (its token is never shown: rotate it if lost)."""
    sensor = remote.make_client(profile).get_sensor(sensor_id)
    if as_json:
        write_line(json.dumps(sensor))
        return
    info = Table.grid(padding=(0, 2))
    for key, value in sensor.items():
        shown = json.dumps(value) if isinstance(value, (dict, list, bool)) else str(
            "-" if value is None or value == "" else value)
        info.add_row(key, escape(shown))
    stdout_console().print(info)


@sensors_app.command("enable")
def enable(sensor_id: IdArgument, profile: ProfileOption = None) -> None:
    """Enable a sensor."""
    s = remote.make_client(profile).set_sensor_enabled(sensor_id, True)
    write_line(f"{s['sensor_id']} enabled")


@sensors_app.command("disable")
def disable(sensor_id: IdArgument, profile: ProfileOption = None) -> None:
    """Disable a sensor: its webhook answers 409, polls and S3 events are ignored."""
    s = remote.make_client(profile).set_sensor_enabled(sensor_id, False)
    write_line(f"{s['sensor_id']} disabled")


@sensors_app.command("rotate-token")
def rotate_token(sensor_id: IdArgument, profile: ProfileOption = None) -> None:
    """A new webhook token (printed once); the old one stops working now."""
    s = remote.make_client(profile).rotate_sensor_token(sensor_id)
    write_line(f"{s['sensor_id']} token rotated")
    _print_token(s)


@sensors_app.command("delete")
def delete(sensor_id: IdArgument, yes: YesOption = False,
           profile: ProfileOption = None) -> None:
    """Delete a sensor (asks first unless --yes)."""
    client = remote.make_client(profile)
    sensor = client.get_sensor(sensor_id)
    if not yes and not typer.confirm(f"delete sensor {sensor['name']} ({sensor_id})?"):
        raise typer.Exit(1)
    client.delete_sensor(sensor_id)
    write_line(f"{sensor_id} deleted")
