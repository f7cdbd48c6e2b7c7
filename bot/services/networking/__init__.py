"""Networking services in one bundle, as handlers find them in ``Deps.networking``."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Config
from bot.services.catalogue.communes import CommuneDirectory
from bot.services.delivery.outbox import DeliveryService
from bot.services.networking.introductions import IntroductionService
from bot.services.networking.messages import NetworkingMessages
from bot.services.networking.profiles import ProfileService
from bot.services.networking.relay import RelayService
from bot.services.networking.round_messages import RoundMessages
from bot.services.networking.rounds import RoundService
from bot.texts import Texts
from storage.db import Sessions


@dataclass(frozen=True)
class NetworkingServices:
    profiles: ProfileService
    introductions: IntroductionService
    relay: RelayService
    messages: NetworkingMessages
    rounds: RoundService


def build_networking(
    sessions: Sessions,
    config: Config,
    *,
    texts: Texts,
    delivery: DeliveryService,
    communes: CommuneDirectory,
) -> NetworkingServices:
    """The networking services on one database, sending through ``delivery``."""
    messages = NetworkingMessages(texts)
    profiles = ProfileService(sessions, communes)
    return NetworkingServices(
        profiles=profiles,
        introductions=IntroductionService(
            sessions,
            delivery,
            messages,
            max_pending=config.networking.max_pending_requests,
            moderators_chat_id=config.bot.moderators_chat_id,
            moderator_ids=config.bot.moderator_ids,
            tz=config.bot.tz,
        ),
        relay=RelayService(sessions, delivery, messages),
        messages=messages,
        rounds=RoundService(
            sessions,
            delivery,
            RoundMessages(texts, messages, config.bot.tz),
            profiles,
            communes,
        ),
    )
