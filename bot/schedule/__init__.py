"""Daily nudges, reminders and weekly notes: who is due (`rules`), what each says (`compose`),
and delivering each exactly once (`scheduler`); `records` holds what a tick reports."""

from bot.schedule.records import OUTCOMES, Decision, Planning, ScheduleConfig, TickReport
from bot.schedule.scheduler import Scheduler

__all__ = ["OUTCOMES", "Decision", "Planning", "ScheduleConfig", "Scheduler", "TickReport"]
