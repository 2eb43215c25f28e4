"""Enumerations used in breach facts. Values are stable: they are stored and sent, never translated.

Option lists follow the AP "meldformulier datalekken" as transcribed by OpenVWR (see
``shared/reference/ap_form.md``, questions 5.1, 5.2, 6.1, 6.2, 7.1, 8.1); the form may change, the values here
must not. Additions for the data "24 Online" holds are marked as such.
"""

from __future__ import annotations

from enum import StrEnum


class BreachNature(StrEnum):
    """Nature of the breach (AP 5.1); an incident can be several at once."""

    CONFIDENTIALITY = "confidentiality"  # (mogelijk) ingezien door onbevoegden
    INTEGRITY = "integrity"  # ongeoorloofd of onopzettelijk gewijzigd
    AVAILABILITY_PERMANENT = "availability_permanent"  # permanent niet beschikbaar
    AVAILABILITY_TEMPORARY = "availability_temporary"  # tijdelijk niet beschikbaar


class IncidentType(StrEnum):
    """What happened (AP 5.2 "aard van het incident")."""

    EMAIL_WRONG_RECIPIENT = "email_wrong_recipient"
    EMAIL_CC_NOT_BCC = "email_cc_not_bcc"
    MAIL_WRONG_RECIPIENT = "mail_wrong_recipient"
    MAIL_RETURNED_OPENED = "mail_returned_opened"
    MAIL_LOST = "mail_lost"
    AUTHORISATION_MISCONFIGURED = "authorisation_misconfigured"
    NETWORK_SHARE_TOO_BROAD = "network_share_too_broad"
    DEVICE_OR_PAPER_LOST_OR_STOLEN = "device_or_paper_lost_or_stolen"
    ACCIDENTAL_PUBLICATION = "accidental_publication"
    HACKING_MALWARE_PHISHING = "hacking_malware_phishing"
    WRONG_FILE = "wrong_file"  # toegevoegd aan het verkeerde dossier
    OTHER = "other"


class DataCategory(StrEnum):
    """Categories of personal data (AP 6.1, plus the data 24 Online holds)."""

    NAME = "name"
    GENDER = "gender"
    DATE_OF_BIRTH = "date_of_birth"  # geboortedatum en/of leeftijd
    BSN = "bsn"  # burgerservicenummer or another national identification / fiscal number
    CONTACT_DETAILS = "contact_details"
    ADDRESS = "address"
    EMAIL = "email"
    PHONE = "phone"
    ACCESS_CREDENTIALS = "access_credentials"  # toegangs- of identificatiegegevens, account data
    # Financial data (ENISA class "financial"), in three sets: bank/payment (bank_account, credit_card),
    # insurance, and other financial data (financial_other, debts, benefits).
    FINANCIAL_OTHER = "financial_other"  # income, transactions, invoices
    BANK_ACCOUNT = "bank_account"
    CREDIT_CARD = "credit_card"
    INSURANCE = "insurance"  # insurance policies, premiums, cover and claims (health claims: add 'health')
    DEBTS = "debts"
    BENEFITS = "benefits"  # uitkering
    IDENTITY_DOCUMENT = "identity_document"  # (copies of) passports and other ID documents, their numbers
    LOCATION = "location"
    CRIMINAL_DATA = "criminal_data"  # Art. 10 GDPR
    UNKNOWN = "unknown"
    OTHER = "other"
    # 24 Online (privacy statement) and ENISA behavioural data:
    JOB_TITLE = "job_title"
    BUSINESS_REGISTRATION = "business_registration"  # KvK and BTW numbers of sole traders
    CUSTOMER_REFERENCE = "customer_reference"  # customer, order, quote and invoice numbers
    IP_ADDRESS = "ip_address"
    DEVICE_DATA = "device_data"  # browser and device type
    CALL_RECORDING = "call_recording"
    PURCHASE_HISTORY = "purchase_history"
    ONLINE_BEHAVIOUR = "online_behaviour"  # browsing, app use, preferences
    TRAFFIC_DATA = "traffic_data"  # call and communication metadata


class SpecialCategory(StrEnum):
    """Special categories of personal data, Art. 9 GDPR (AP 6.2)."""

    RACIAL_OR_ETHNIC_ORIGIN = "racial_or_ethnic_origin"
    POLITICAL_OPINIONS = "political_opinions"
    RELIGIOUS_OR_PHILOSOPHICAL_BELIEFS = "religious_or_philosophical_beliefs"
    TRADE_UNION_MEMBERSHIP = "trade_union_membership"
    SEX_LIFE_OR_ORIENTATION = "sex_life_or_orientation"
    HEALTH = "health"
    GENETIC = "genetic"
    BIOMETRIC = "biometric"


class SubjectGroup(StrEnum):
    """Groups of data subjects (AP 7.1)."""

    EMPLOYEES = "employees"
    CUSTOMERS = "customers"  # current and potential
    STUDENTS = "students"
    PATIENTS = "patients"
    MINORS = "minors"
    VULNERABLE = "vulnerable"
    OTHER = "other"


class ProtectionMethod(StrEnum):
    """How the data were made unintelligible beforehand (AP 8.1). Ransomware encryption does not count."""

    NONE = "none"
    ENCRYPTED = "encrypted"
    HASHED = "hashed"
    OTHERWISE_UNINTELLIGIBLE = "otherwise_unintelligible"


class Recipients(StrEnum):
    """Who (may have) received the data; graded as ENISA grades loss of confidentiality."""

    NONE = "none"  # exposed, no evidence anyone accessed them (e.g. lost device)
    KNOWN = "known"  # a known number of identified recipients (trusted or not: see RecipientFacts)
    UNKNOWN = "unknown"  # an unknown number of recipients, or published


class ServiceOutage(StrEnum):
    """Effect of the breach on a service (AP 9.1 "een essentiële dienst kan tijdelijk/permanent niet meer
    worden verleend")."""

    NONE = "none"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


class Identifiability(StrEnum):
    """ENISA ease of identification (EI)."""

    NEGLIGIBLE = "negligible"
    LIMITED = "limited"
    SIGNIFICANT = "significant"
    MAXIMUM = "maximum"


class DpcFactor(StrEnum):
    """ENISA contextual factors that move the data-processing-context score by whole steps."""

    VOLUME = "volume"  # increasing: more data about the same person
    CONTROLLER = "controller"  # increasing: what the controller's nature reveals
    INDIVIDUALS = "individuals"  # increasing: minors, vulnerable groups, public figures
    INACCURACY = "inaccuracy"  # decreasing: data known to be invalid or outdated
    PUBLIC_AVAILABILITY = "public_availability"  # decreasing: public before the breach
    INSIGHT = "insight"  # either way: what insight the data set gives (fraud, profiling, none); was "nature"


class Measure(StrEnum):
    """Measures taken after the breach (AP 10.2 is free text; these are the common ones)."""

    CONTAINED = "contained"
    DATA_RETRIEVED_OR_DELETED = "data_retrieved_or_deleted"
    CREDENTIALS_RESET = "credentials_reset"
    ACCESS_REVOKED = "access_revoked"
    DEVICE_WIPED = "device_wiped"
    RESTORED_FROM_BACKUP = "restored_from_backup"
    VULNERABILITY_FIXED = "vulnerability_fixed"
    MONITORING = "monitoring"
    POLICE_REPORT = "police_report"
    OTHER = "other"
