"""Imports every table module so that SQLModel.metadata knows them all (migrations, tests)."""

from sqlmodel import SQLModel

from models.cover import tables as cover
from models.messaging import tables as messaging
from models.roster import tables as roster
from models.supervision import tables as supervision
from models.surveys import tables as surveys

metadata = SQLModel.metadata

__all__ = ["cover", "messaging", "metadata", "roster", "supervision", "surveys"]
