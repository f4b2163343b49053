"""Imports every table module so that SQLModel.metadata knows them all (migrations, tests)."""

from sqlmodel import SQLModel

from models import alliance, cover, messaging, surveys

metadata = SQLModel.metadata

__all__ = ["alliance", "cover", "messaging", "metadata", "surveys"]
