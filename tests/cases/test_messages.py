"""The reporter's channel in the cases package: its key opens only its own blobs, only the
code opens the reporter's copy, a message is bound to its number and author, and the reporter's
view of a case names one of five phases and the two promises, never more."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta

import pytest

from miv.cases import Action, CaseKey, Channel, DeadlinePolicy, KeyProblem, Report, Stage, open_case
from miv.cases.messages import REPORTER, ChannelKey, open_message, reporter_status, seal_message

from .conftest import T0, People, investigated_case, new_case

CODE = "K7QF-2MZA-9RTX-HB4C"


def test_the_channel_key_and_the_case_key_open_nothing_of_each_other():
    case_key, channel = CaseKey.generate("zaak-1"), ChannelKey.generate("zaak-1")
    blob = seal_message(channel, 1, REPORTER, "Ik zag het contract.", None)
    assert open_message(ChannelKey.from_case_key(case_key, channel.sealed_for_case(case_key)), 1, REPORTER, T0, False, blob).text == "Ik zag het contract."
    with pytest.raises(KeyProblem):
        CaseKey("zaak-1", channel.secret).open("omschrijving", case_key.seal("omschrijving", "de melding"))
    with pytest.raises(KeyProblem):  # a handler's message relabelled as the reporter's, or moved to another number
        open_message(channel, 1, People.chair.person, T0, False, blob)
    with pytest.raises(KeyProblem):
        open_message(channel, 2, REPORTER, T0, False, blob)


def test_only_the_code_opens_the_reporters_copy_of_the_channel_key():
    channel, salt, pepper = ChannelKey.generate("zaak-1"), os.urandom(16), os.urandom(32)
    sealed = channel.sealed_for_reporter(CODE, salt, pepper)
    assert ChannelKey.for_reporter("zaak-1", " k7qf 2mza 9rtx hb4c ", salt, pepper, sealed).secret == channel.secret
    for code, where, spice in (("K7QF-2MZA-9RTX-HB4D", "zaak-1", pepper), (CODE, "zaak-2", pepper), (CODE, "zaak-1", os.urandom(32))):
        with pytest.raises(KeyProblem):
            ChannelKey.for_reporter(where, code, salt, spice, sealed)


def test_the_reporter_sees_five_phases_and_the_wbk_promises():
    policy = DeadlinePolicy()
    staff = open_case("zaak-1", People.support, T0, Report("Iets", "Iemand", channel=Channel.STAFF)).case
    status = reporter_status(staff, policy, T0 + timedelta(days=1))
    assert status.phase == "Ontvangen" and status.statutory and status.acknowledge_by == T0 + timedelta(days=7)
    assert status.feedback_by is not None and not status.feedback_late
    late = reporter_status(staff, policy, T0 + timedelta(days=100))
    assert late.acknowledgement_late and late.feedback_late
    told = reporter_status(replace(staff, feedback=(T0 + timedelta(days=20),)), policy, T0 + timedelta(days=100))
    assert told.feedback_at == T0 + timedelta(days=20) and not told.feedback_late
    phases = {reporter_status(investigated_case(until), policy, T0).phase for until in
              (Action.VOORONDERZOEK_STARTEN, Action.ONDERZOEK_INSTELLEN, Action.BEVINDINGEN_VOORLEGGEN, Action.RAPPORT_OPLEVEREN)}
    assert phases == {"In behandeling"}  # an investigation or a hearing is not given away
    decided = investigated_case(Action.BESLUITEN)
    assert decided.stage is Stage.COMMUNICATIE and reporter_status(decided, policy, T0).phase == "Besluit genomen"
    other = reporter_status(new_case(), policy, T0)
    assert not other.statutory and other.feedback_by is None
