"""Console texts: Dutch first, English on request (``?lang=en``, remembered in a cookie).

Stored values (statuses, vocabulary, factor codes) are never translated in storage; only their labels here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

LANGUAGES = ("nl", "en")
DEFAULT = "nl"
COOKIE = "datalek_lang"

STATUS = {
    "detected": ("gedetecteerd", "detected"), "triage": ("in triage", "in triage"),
    "dismissed": ("geen datalek", "dismissed"), "confirmed": ("bevestigd", "confirmed"),
    "assessing": ("beoordeling", "assessing"), "decided": ("besloten", "decided"),
    "reported": ("gemeld bij de AP", "reported to the AP"),
    "subjects_informed": ("betrokkenen geïnformeerd", "data subjects informed"),
    "closed": ("gesloten", "closed"),
}

TEXT: Mapping[str, tuple[str, str]] = {
    "incidents": ("Incidenten", "Incidents"),
    "register": ("Register van datalekken", "Breach register"), "register_nav": ("register", "register"),
    "rules_page": ("Detectieregels en uitzonderingen", "Detection rules and exceptions"),
    "rules_nav": ("regels", "rules"),
    "rules_intro": ("Wat de detectie bewust buiten beschouwing laat: uitzonderingen die het securityteam na "
                    "beoordeling heeft vastgelegd, met reden, eigenaar en einddatum. Vraag de eigenaar als een "
                    "uitzondering u niet duidelijk is.",
                    "What detection leaves out on purpose: exceptions the security team recorded after review, "
                    "with reason, owner and end date. Ask the owner when an exception is not clear to you."),
    "exceptions": ("Uitzonderingen", "Exceptions"), "rules_in_force": ("Regels", "Rules"),
    "exc_rules": ("regels", "rules"), "exc_match": ("gebeurtenissen", "events"), "exc_reason": ("reden", "reason"),
    "exc_owner": ("eigenaar", "owner"), "exc_until": ("tot", "until"), "exc_no_end": ("geen einddatum", "no end date"),
    "exc_expired": ("verlopen", "expired"),
    "no_exceptions": ("Geen uitzonderingen: elke regel ziet alle gebeurtenissen.",
                      "No exceptions: every rule sees every event."),
    "register_intro": ("Alle incidenten, ook die niet gemeld zijn (art. 33 lid 5 AVG). Download voor een "
                       "spreadsheet, een document of een ander systeem:",
                       "Every incident, also those not reported (Art. 33(5) GDPR). Download for a spreadsheet, "
                       "a document or another system:"),
    "reg_opened_at_amsterdam": ("geopend", "opened"), "reg_became_aware_at_amsterdam": ("kennisname", "aware"),
    "reg_nature": ("aard", "nature"), "reg_data_categories": ("gegevens", "data categories"),
    "reg_data_subjects": ("betrokkenen", "data subjects"), "reg_severity_level": ("ernst", "severity"),
    "reg_decision_notify_ap": ("melden AP", "notify AP"),
    "reg_decision_notify_subjects": ("betrokkenen informeren", "inform data subjects"),
    "reg_reported_at_amsterdam": ("gemeld", "reported"), "reg_meldnummer": ("meldnummer", "AP reference"),
    "reg_closed_at": ("gesloten", "closed"), "all_incidents": ("alle incidenten", "all incidents"),
    "sign_in": ("Inloggen", "Sign in"), "sign_out": ("uitloggen", "sign out"),
    "token_invalid": ("Dat token is niet geldig.", "That token is not valid."),
    "paste_token": ("Plak uw API-token (van <code>datalek users token NAAM</code>).",
                    "Paste your API token (from <code>datalek users token NAME</code>)."),
    "status": ("status", "status"), "clock": ("72-uursklok", "72-hour clock"),
    "deadline": ("uiterlijk melden", "report by"), "not_started": ("niet gestart", "not started"),
    "left": ("resterend", "left"), "overdue_by": ("te laat met", "overdue by"),
    "reported_in_time": ("op tijd gemeld", "reported in time"), "reported_late": ("te laat gemeld", "reported late"),
    "no_notification": ("geen melding (besloten)", "no notification (decided)"),
    "actions": ("Wat u nu kunt doen", "What you can do now"),
    "no_actions": ("Geen stappen voor uw rol in deze status.", "No steps for your role in this state."),
    "reason": ("reden", "reason"), "go": ("uitvoeren", "submit"),
    "triage": ("Triage starten", "Start triage"), "reopen": ("Heropenen (triage)", "Reopen (triage)"),
    "dismiss": ("Geen datalek: afwijzen", "Not a breach: dismiss"),
    "confirm": ("Datalek bevestigen", "Confirm the breach"),
    "aware_at": ("bekend sinds (Europe/Amsterdam; leeg = nu)", "aware since (Europe/Amsterdam; empty = now)"),
    "before_detection": ("we wisten het al vóór de eerste detectie", "we knew before the first detection"),
    "facts": ("Feiten vastleggen (vragenlijst)", "Record the facts (questionnaire)"),
    "decide": ("Besluiten", "Decide"), "accept": ("Voorstel overnemen", "Accept the proposal"),
    "override": ("Afwijken van het voorstel", "Override the proposal"),
    "override_reason": ("schriftelijke reden (verplicht)", "written reason (required)"),
    "notify_ap": ("melden bij de AP", "notify the AP"), "notify_subjects": ("betrokkenen informeren",
                                                                             "inform data subjects"),
    "yes": ("ja", "yes"), "no": ("nee", "no"),
    "report": ("Melding bij de AP vastleggen", "Record the AP notification"),
    "meldnummer": ("meldnummer", "meldnummer (AP reference)"),
    "reported_at": ("gemeld op (Europe/Amsterdam; leeg = nu)", "reported at (Europe/Amsterdam; empty = now)"),
    "delay_reason": ("reden van de vertraging (na 72 uur verplicht)", "reason for the delay (required after 72 h)"),
    "inform": ("Betrokkenen geïnformeerd", "Data subjects informed"),
    "informed_at": ("geïnformeerd op (Europe/Amsterdam; leeg = nu)", "informed at (Europe/Amsterdam; empty = now)"),
    "close": ("Sluiten", "Close"),
    "proposal": ("Voorstel", "Proposal"), "risk": ("risico", "risk"),
    "enisa": ("ENISA-ernst", "ENISA severity"), "rationale": ("Onderbouwing", "Rationale"),
    "components": ("onderdelen", "components"),
    "drafts": ("Concepten ter controle", "Drafts for review"), "ap_draft": ("melding AP", "AP notification"),
    "notice": ("bericht aan betrokkenen", "notice to data subjects"), "download": ("download", "download"),
    "from_inventory": ("uit de inventaris: bevestig", "from the inventory: confirm"),
    "effective": ("Werkte dit tegen deze inbreuk?", "Did it protect against this breach?"),
    "questionnaire": ("Vragenlijst feiten", "Facts questionnaire"),
    "fix_errors": ("Verbeter de gemarkeerde velden.", "Correct the marked fields."),
    "save_facts": ("Feiten opslaan", "Save the facts"), "unknown": ("onbekend", "unknown"),
    "group": ("Groep", "Group"), "new_group": ("nieuwe groep (leeg laten als er geen is)",
                                               "new group (leave empty if there is none)"),
    "subject_groups": ("Wie", "Who"), "data_categories": ("Gegevens", "Data"),
    "special_categories": ("Bijzondere persoonsgegevens", "Special categories"),
    "data_subjects": ("Aantal betrokkenen", "Number of data subjects"),
    "recipient_trusted": ("bekende, betrouwbare ontvanger", "known, trusted recipient"),
    "deletion_confirmed": ("verwijdering bevestigd door de ontvanger", "deletion confirmed by the recipient"),
    "essential": ("essentiële dienst", "essential service"), "hours": ("uren", "hours"),
    "not_answered": ("nog niet beantwoord", "not answered yet"),
    "timeline": ("Tijdlijn", "Timeline"), "audit": ("Audittrail", "Audit trail"),
    "affected": ("Getroffen accounts, gebruikers en bestanden", "Affected accounts, users and files"),
    "decision": ("Besluit", "Decision"), "not_decided": ("Nog niet besloten (de FG besluit).",
                                                         "Not decided yet (the FG decides)."),
    "no_facts": ("Nog geen feiten vastgelegd.", "No facts recorded yet."),
    "facts_recorded": ("Vastgelegde feiten", "Recorded facts"),
    "assessment": ("Beoordeling", "Assessment"), "incident": ("Incident", "Incident"),
    "footer": ("Elke weergave en elke stap staat in het auditlog.", "Every view and every step is in the audit log."),
    "refused": ("Niet uitgevoerd", "Not done"), "back": ("terug naar het incident", "back to the incident"),
    "other_lang": ("English", "Nederlands"),
    "supplement": ("Aanvullende antwoorden voor de melding", "Supplementary answers for the notification"),
    "supplement_help": ("Antwoorden die het incident niet bevat; leeg laten = ontbreekt in het concept.",
                        "Answers the incident does not hold; empty = marked missing in the draft."),
    "organisation": ("Organisatiegegevens", "Organisation details"),
    "organisation_help": ("Vullen het organisatiebestand aan in elk concept; leeg = uit het bestand.",
                          "Added on top of the organisation file in every draft; empty = from the file."),
    "save": ("Opslaan", "Save"),
    "title": ("omschrijving", "title"), "opened": ("geopend", "opened"), "asset": ("systeem", "asset"),
    "rules": ("regels", "rules"), "events": ("gebeurtenissen", "events"),
    "severity_hints": ("ernst-hints", "severity hints"), "no_incidents": ("Geen incidenten.", "No incidents."),
    "moment_opened": ("geopend", "opened"), "moment_last_activity": ("laatste activiteit", "last activity"),
    "moment_became_aware": ("kennisname (bekend sinds)", "became aware"), "moment_decided": ("besloten", "decided"),
    "moment_reported": ("gemeld bij de AP", "reported to the AP"),
    "moment_subjects_informed": ("betrokkenen geïnformeerd", "data subjects informed"),
    "moment_closed": ("gesloten", "closed"), "what": ("wat", "what"),
    "clocks": ("Termijnen", "Clocks"), "started": ("gestart", "started"), "deadline_at": ("termijn", "deadline"),
    "state": ("stand", "state"),
    "clock_art33": ("Art. 33 AVG: melden bij de AP binnen 72 uur", "Art. 33: notify the AP within 72 hours"),
    "clock_art34": ("Art. 34 AVG: betrokkenen informeren (interne streeftermijn)",
                    "Art. 34: inform data subjects (internal target)"),
    "entity": ("betrokken entiteit", "entity"), "breach_types": ("soort inbreuk", "breach types"),
    "evidence": ("bewijs", "evidence"), "detections": ("detecties", "detections"),
    "by_reference": ("bewaard als verwijzing", "kept by reference"), "follows": ("volgt op", "follows"),
    "inventory": ("inventaris", "inventory"), "delay": ("reden van de vertraging", "reason for the delay"),
    "no_affected": ("De gebeurtenissen noemen geen getroffen accounts, gebruikers of bestanden.",
                    "The events name no affected accounts, users or files."),
    "accounts_taken_over": ("overgenomen accounts", "accounts taken over"), "users": ("gebruikers", "users"),
    "files": ("bestanden", "files"), "records": ("records", "records"),
    "as_reported": ("zoals de gebeurtenissen ze melden", "as the events report them"),
    "ap_question": ("AP-vraag", "AP question"), "full_assessment": ("volledige beoordeling", "full assessment"),
    "assessed_later": ("Beoordeling volgt zodra de feiten zijn vastgelegd.", "Assessed once the facts are recorded."),
    "audit_when": ("wanneer (UTC)", "when (UTC)"), "audit_who": ("wie", "who"), "audit_action": ("actie", "action"),
    "audit_from": ("van", "from"), "audit_to": ("naar", "to"), "audit_why": ("waarom", "why"),
    "role_privacy_officer": ("FG", "privacy officer"), "role_analyst": ("analist", "analyst"),
    "role_admin": ("beheerder", "admin"), "decided_by": ("Besloten door", "Decided by"),
    "public_communication": ("openbare mededeling", "public communication"),
    "accepted": ("voorstel overgenomen", "proposal accepted"),
    "overridden": ("afgeweken van het voorstel", "proposal overridden"),
    "full_decision": ("volledig besluit (zoals vastgelegd)", "full decision (as recorded)"),
    "detected_as": ("melding van de detectie", "detected as"),
}


FACTORS = {  # the rationale's stable codes (incidents.assessment.risk_rules.FactorCode), for people
    "data_unintelligible": ("gegevens onleesbaar en intact", "data unintelligible and intact"),
    "severity_below_threshold": ("ernst onder de meldgrens", "severity below the notification threshold"),
    "severity_reaches_regulator_threshold": ("ernst bereikt de meldgrens AP", "severity reaches the AP threshold"),
    "severity_reaches_subject_threshold": ("ernst bereikt de grens voor betrokkenen",
                                           "severity reaches the data-subject threshold"),
    "promptly_restored": ("snel hersteld", "promptly restored"),
    "temporary_unavailability_only": ("alleen tijdelijk onbeschikbaar", "temporary unavailability only"),
    "trusted_recipient": ("vertrouwde ontvanger", "trusted recipient"),
    "essential_service_interrupted": ("essentiële dienst onderbroken", "essential service interrupted"),
    "malicious_exposure": ("opzettelijke blootstelling", "malicious exposure"),
    "prolonged_unavailability": ("langdurig onbeschikbaar", "prolonged unavailability"),
    "altered_data_misused": ("gewijzigde gegevens misbruikt", "altered data misused"),
    "special_data_affected": ("bijzondere persoonsgegevens", "special categories affected"),
    "vulnerable_subjects_affected": ("kwetsbare betrokkenen", "vulnerable data subjects"),
    "large_scale_exposure": ("grote omvang", "large scale"),
    "identity_fraud_exposure": ("risico op identiteitsfraude", "identity fraud exposure"),
    "high_risk_to_subjects": ("hoog risico voor betrokkenen", "high risk to data subjects"),
    "art34_3b_measures": ("maatregelen nemen het hoge risico weg (art. 34(3)(b))",
                          "measures remove the high risk (Art. 34(3)(b))"),
    "art34_3c_disproportionate_effort": ("openbare mededeling (art. 34(3)(c))", "public communication (Art. 34(3)(c))"),
    "unlikely": ("onwaarschijnlijk", "unlikely"), "risk": ("risico", "risk"), "high": ("hoog", "high"),
}


REFUSALS = {  # why a step was not taken, by the kind of refusal (the exception's class name); detail follows
    "NotPermitted": ("Uw rol mag deze stap niet zetten.", "Your role may not take this step."),
    "IllegalTransition": ("Deze stap kan niet in de huidige status van het incident.",
                          "This step is not possible in the incident's current state."),
    "MissingInformation": ("Deze stap mist een verplicht gegeven.", "This step lacks something it needs."),
    "DecisionIncomplete": ("Het besluit is niet volledig.", "The decision is incomplete."),
    "DelayReasonRequired": ("Na 72 uur is de reden van de vertraging verplicht (art. 33 lid 1 AVG).",
                            "After 72 hours the reason for the delay is required (Art. 33(1))."),
    "ConcurrentUpdate": ("Iemand anders heeft het incident net gewijzigd: open het opnieuw en probeer het nog eens.",
                         "Someone else just changed the incident: open it again and retry."),
}
INPUT = ("Een ingevulde waarde is niet geldig.", "A value you entered is not valid.")


def refusal(e: Exception, lang: str) -> str:
    """The kind of refusal in the page's language; the exact reason (the core's, English) is shown below it."""
    names = [k.__name__ for k in type(e).__mro__]
    pair = next((REFUSALS[n] for n in names if n in REFUSALS), INPUT)
    return pair[LANGUAGES.index(lang)]


def choose(query: str | None, cookie: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return str(candidate)
    return DEFAULT


def translator(lang: str) -> Callable[[str], str]:
    index = LANGUAGES.index(lang)

    def t(key: str) -> str:
        pair = TEXT.get(key) or STATUS.get(key) or FACTORS.get(key)
        return pair[index] if pair else key

    return t


def status(value: str, lang: str) -> str:
    pair = STATUS.get(value)
    return pair[LANGUAGES.index(lang)] if pair else value


CHOICES_NL = {  # Dutch labels of the vocabulary's values (AP meldformulier wording where it has one)
    "confidentiality": "vertrouwelijkheid (ingezien door onbevoegden)", "integrity": "integriteit (gewijzigd)",
    "availability_permanent": "beschikbaarheid: permanent kwijt",
    "availability_temporary": "beschikbaarheid: tijdelijk",
    "email_wrong_recipient": "e-mail naar verkeerde ontvanger", "email_cc_not_bcc": "e-mail met cc in plaats van bcc",
    "mail_wrong_recipient": "post naar verkeerde ontvanger", "mail_returned_opened": "post geopend retour",
    "mail_lost": "post kwijt", "authorisation_misconfigured": "autorisaties verkeerd ingesteld",
    "network_share_too_broad": "netwerkmap te breed gedeeld",
    "device_or_paper_lost_or_stolen": "apparaat of papier verloren of gestolen",
    "accidental_publication": "per ongeluk gepubliceerd", "hacking_malware_phishing": "hacking, malware of phishing",
    "wrong_file": "in verkeerd dossier", "other": "anders", "name": "naam", "gender": "geslacht",
    "date_of_birth": "geboortedatum/leeftijd", "bsn": "BSN of ander nationaal nummer",
    "contact_details": "contactgegevens",
    "address": "adres", "email": "e-mailadres", "phone": "telefoonnummer", "access_credentials": "inloggegevens",
    "financial_other": "overige financiële gegevens", "bank_account": "bankrekeningnummer", "credit_card": "creditcard",
    "debts": "schulden", "benefits": "uitkering", "identity_document": "identiteitsbewijs", "location": "locatie",
    "criminal_data": "strafrechtelijke gegevens", "unknown": "onbekend", "job_title": "functie",
    "business_registration": "KvK-/btw-nummer", "customer_reference": "klant-/ordernummer", "ip_address": "IP-adres",
    "device_data": "apparaatgegevens", "call_recording": "gespreksopname", "purchase_history": "aankoopgeschiedenis",
    "online_behaviour": "surfgedrag", "traffic_data": "verkeersgegevens",
    "racial_or_ethnic_origin": "ras of etnische afkomst", "political_opinions": "politieke opvattingen",
    "religious_or_philosophical_beliefs": "godsdienst of levensovertuiging",
    "trade_union_membership": "vakbondslidmaatschap",
    "sex_life_or_orientation": "seksueel gedrag of gerichtheid", "health": "gezondheid",
    "genetic": "genetische gegevens",
    "biometric": "biometrische gegevens", "employees": "werknemers", "customers": "klanten", "students": "leerlingen",
    "patients": "patiënten", "minors": "minderjarigen", "vulnerable": "kwetsbare groepen",
    "negligible": "verwaarloosbaar", "limited": "beperkt", "significant": "aanzienlijk", "maximum": "maximaal",
    "none": "geen", "encrypted": "versleuteld", "hashed": "gehasht", "otherwise_unintelligible": "anders onleesbaar",
    "known": "bekende ontvangers", "contained": "ingedamd", "insurance": "verzekeringsgegevens",
    "temporary": "tijdelijk", "permanent": "blijvend",
    "data_retrieved_or_deleted": "gegevens teruggehaald of verwijderd", "credentials_reset": "wachtwoorden gereset",
    "access_revoked": "toegang ingetrokken", "device_wiped": "apparaat gewist",
    "restored_from_backup": "back-up teruggezet",
    "vulnerability_fixed": "kwetsbaarheid verholpen", "monitoring": "extra monitoring",
    "police_report": "aangifte gedaan",
    "availability": "beschikbaarheid",  # the detections' breach types and severity hints
    "low": "laag", "medium": "gemiddeld", "high": "hoog", "very_high": "zeer hoog",
}


def choice(value: str, lang: str) -> str:
    """A vocabulary value for people; the value itself is what the form sends and the database keeps."""
    return CHOICES_NL.get(value, value.replace("_", " ")) if lang == "nl" else value.replace("_", " ")
