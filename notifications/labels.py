"""Display texts for the assessment vocabulary: the AP form's Dutch option texts and plain-language glosses.

Data only. AP wording follows ``shared/reference/ap_form.md`` (OpenVWR transcription of the 2022 questionnaire);
categories 24 Online holds that the AP list lacks are answered as "Anders, namelijk ...". Plain-language texts
(``PLAIN_*``) are for the notice to data subjects, in Dutch and English.
"""

from __future__ import annotations

from collections.abc import Mapping

from incidents.assessment import (
    BreachNature,
    DataCategory,
    IncidentType,
    Measure,
    ProtectionMethod,
    SpecialCategory,
    SubjectGroup,
)

AP_NATURE: Mapping[BreachNature, str] = {
    BreachNature.CONFIDENTIALITY: "Persoonsgegevens (mogelijk) ingezien door onbevoegden",
    BreachNature.INTEGRITY: "Persoonsgegevens ongeoorloofd of onopzettelijk gewijzigd",
    BreachNature.AVAILABILITY_PERMANENT: "Persoonsgegevens permanent niet beschikbaar (verloren of verwijderd)",
    BreachNature.AVAILABILITY_TEMPORARY: "Persoonsgegevens tijdelijk niet beschikbaar",
}

AP_INCIDENT_TYPE: Mapping[IncidentType, str] = {
    IncidentType.EMAIL_WRONG_RECIPIENT: "E-mail met persoonsgegevens verstuurd aan verkeerde ontvanger(s)",
    IncidentType.EMAIL_CC_NOT_BCC: "E-mail verstuurd met ontvangers in aan/cc in plaats van bcc",
    IncidentType.MAIL_WRONG_RECIPIENT: "Brief of postpakket verstuurd of afgegeven aan verkeerde ontvanger(s)",
    IncidentType.MAIL_RETURNED_OPENED: "Brief of postpakket geopend retour ontvangen",
    IncidentType.MAIL_LOST: "Brief of postpakket kwijtgeraakt",
    IncidentType.AUTHORISATION_MISCONFIGURED: "Autorisatie(s) van medewerker(s) verkeerd ingesteld",
    IncidentType.NETWORK_SHARE_TOO_BROAD: "Netwerkmappen of -locaties te breed toegankelijk binnen de organisatie",
    IncidentType.DEVICE_OR_PAPER_LOST_OR_STOLEN: (
        "Apparaat, gegevensdrager (bijv. USB-stick) en/of papier kwijtgeraakt of gestolen"
    ),
    IncidentType.ACCIDENTAL_PUBLICATION: "Persoonsgegevens per ongeluk gepubliceerd",
    IncidentType.HACKING_MALWARE_PHISHING: "Hacking, malware (bijv. ransomware) en/of phishing",
    IncidentType.WRONG_FILE: "Persoonsgegevens toegevoegd aan het verkeerde dossier",
    IncidentType.OTHER: "Overig",
}

# AP 6.1 options; None: not on the AP list, answered under "Anders, namelijk" with AP_OTHER_CATEGORY.
AP_CATEGORY: Mapping[DataCategory, str | None] = {
    DataCategory.NAME: "Naam",
    DataCategory.GENDER: "Geslacht",
    DataCategory.DATE_OF_BIRTH: "Geboortedatum en/of leeftijd",
    DataCategory.BSN: "Burgerservicenummer (BSN)",
    DataCategory.CONTACT_DETAILS: "Contactgegevens",
    DataCategory.ADDRESS: "Adres en woonplaats",
    DataCategory.EMAIL: "E-mailadres",
    DataCategory.PHONE: "Telefoonnummer",
    DataCategory.ACCESS_CREDENTIALS: "Toegangs- of identificatiegegevens",
    DataCategory.FINANCIAL_OTHER: "Andere financiële gegevens",
    DataCategory.BANK_ACCOUNT: "Bankrekeningnummer / IBAN",
    DataCategory.CREDIT_CARD: "Creditcardgegevens",
    DataCategory.INSURANCE: None,
    DataCategory.DEBTS: "Gegevens over (problematische) schulden",
    DataCategory.BENEFITS: "Gegevens over uitkering en/of schulden",
    DataCategory.IDENTITY_DOCUMENT: "(Kopieën van) paspoorten of andere legitimatiebewijzen",
    DataCategory.LOCATION: "Locatiegegevens",
    DataCategory.CRIMINAL_DATA: (
        "Persoonsgegevens betreffende strafrechtelijke veroordelingen en strafbare feiten of daarmee "
        "verband houdende veiligheidsmaatregelen"
    ),
    DataCategory.UNKNOWN: "Onbekend",
    DataCategory.OTHER: "Anders",
    DataCategory.JOB_TITLE: None,
    DataCategory.BUSINESS_REGISTRATION: None,
    DataCategory.CUSTOMER_REFERENCE: None,
    DataCategory.IP_ADDRESS: None,
    DataCategory.DEVICE_DATA: None,
    DataCategory.CALL_RECORDING: None,
    DataCategory.PURCHASE_HISTORY: None,
    DataCategory.ONLINE_BEHAVIOUR: None,
    DataCategory.TRAFFIC_DATA: None,
}

AP_OTHER_CATEGORY: Mapping[DataCategory, str] = {
    DataCategory.INSURANCE: "verzekeringsgegevens (polis, premie, dekking, schadeclaims)",
    DataCategory.JOB_TITLE: "functie(titel)",
    DataCategory.BUSINESS_REGISTRATION: "KvK- en btw-nummer (eenmanszaken en vof's)",
    DataCategory.CUSTOMER_REFERENCE: "klant-, opdracht-, offerte- en factuurnummers",
    DataCategory.IP_ADDRESS: "IP-adres",
    DataCategory.DEVICE_DATA: "internetbrowser en apparaattype",
    DataCategory.CALL_RECORDING: "opnames van telefoongesprekken",
    DataCategory.PURCHASE_HISTORY: "aankoopgeschiedenis",
    DataCategory.ONLINE_BEHAVIOUR: "surf- en gebruiksgedrag",
    DataCategory.TRAFFIC_DATA: "verkeersgegevens van communicatie",
}

AP_SPECIAL: Mapping[SpecialCategory, str] = {
    SpecialCategory.RACIAL_OR_ETHNIC_ORIGIN: "Persoonsgegevens waaruit iemands ras of etnische afkomst blijkt",
    SpecialCategory.POLITICAL_OPINIONS: "Persoonsgegevens waaruit iemands politieke opvattingen blijken",
    SpecialCategory.RELIGIOUS_OR_PHILOSOPHICAL_BELIEFS: (
        "Persoonsgegevens waaruit iemands religieuze of levensbeschouwelijke overtuigingen blijken"
    ),
    SpecialCategory.TRADE_UNION_MEMBERSHIP: "Persoonsgegevens waaruit iemands lidmaatschap van een vakbond blijkt",
    SpecialCategory.SEX_LIFE_OR_ORIENTATION: (
        "Gegevens met betrekking tot iemands seksueel gedrag of seksuele gerichtheid"
    ),
    SpecialCategory.HEALTH: "Gegevens over iemands gezondheid",
    SpecialCategory.GENETIC: "Genetische gegevens",
    SpecialCategory.BIOMETRIC: "Biometrische gegevens (bijvoorbeeld: vingerafdruk of irisscan)",
}

AP_GROUP: Mapping[SubjectGroup, str] = {
    SubjectGroup.EMPLOYEES: "Werknemers",
    SubjectGroup.CUSTOMERS: "Klanten (huidig en potentieel)",
    SubjectGroup.STUDENTS: "Leerlingen of studenten",
    SubjectGroup.PATIENTS: "Patiënten",
    SubjectGroup.MINORS: "Minderjarigen",
    SubjectGroup.VULNERABLE: "Personen uit andere kwetsbare groepen",
    SubjectGroup.OTHER: "Anders",
}

AP_PROTECTION: Mapping[ProtectionMethod, str] = {
    ProtectionMethod.NONE: "Nee",
    ProtectionMethod.ENCRYPTED: "Versleuteld (encryptie)",
    ProtectionMethod.HASHED: "Gehasht",
    ProtectionMethod.OTHERWISE_UNINTELLIGIBLE: "Op een andere manier onbegrijpelijk of ontoegankelijk gemaakt",
}

MEASURE_NL: Mapping[Measure, str] = {
    Measure.CONTAINED: "Het lek is gedicht (inbreuk beëindigd)",
    Measure.DATA_RETRIEVED_OR_DELETED: "Gegevens teruggehaald of verwijderd",
    Measure.CREDENTIALS_RESET: "Wachtwoorden of andere inloggegevens opnieuw ingesteld",
    Measure.ACCESS_REVOKED: "Toegang ingetrokken",
    Measure.DEVICE_WIPED: "Apparaat op afstand gewist",
    Measure.RESTORED_FROM_BACKUP: "Gegevens hersteld uit een back-up",
    Measure.VULNERABILITY_FIXED: "Kwetsbaarheid verholpen",
    Measure.MONITORING: "Extra monitoring ingesteld",
    Measure.POLICE_REPORT: "Aangifte gedaan bij de politie",
    Measure.OTHER: "Andere maatregel (zie toelichting)",
}

MEASURE_PLAIN_NL: Mapping[Measure, str] = {
    Measure.CONTAINED: "We hebben het lek gedicht",
    Measure.DATA_RETRIEVED_OR_DELETED: "We hebben de gegevens teruggehaald of laten verwijderen",
    Measure.CREDENTIALS_RESET: "We hebben wachtwoorden en andere inloggegevens opnieuw ingesteld",
    Measure.ACCESS_REVOKED: "We hebben de toegang die werd misbruikt ingetrokken",
    Measure.DEVICE_WIPED: "We hebben het apparaat op afstand gewist",
    Measure.RESTORED_FROM_BACKUP: "We hebben de gegevens teruggezet uit een reservekopie",
    Measure.VULNERABILITY_FIXED: "We hebben de zwakke plek die werd gebruikt verholpen",
    Measure.MONITORING: "We houden onze systemen extra in de gaten",
    Measure.POLICE_REPORT: "We hebben aangifte gedaan bij de politie",
    Measure.OTHER: "Andere maatregelen (zie hieronder)",
}

MEASURE_EN: Mapping[Measure, str] = {
    Measure.CONTAINED: "We stopped the breach",
    Measure.DATA_RETRIEVED_OR_DELETED: "We retrieved or deleted the data",
    Measure.CREDENTIALS_RESET: "We reset passwords and other log-in details",
    Measure.ACCESS_REVOKED: "We revoked the access that was misused",
    Measure.DEVICE_WIPED: "We wiped the device remotely",
    Measure.RESTORED_FROM_BACKUP: "We restored the data from a backup",
    Measure.VULNERABILITY_FIXED: "We fixed the weakness that was used",
    Measure.MONITORING: "We monitor our systems more closely",
    Measure.POLICE_REPORT: "We reported the crime to the police",
    Measure.OTHER: "Other measures (see below)",
}

# Plain language for the notice to data subjects (Art. 34(2)): (Dutch, English).
PLAIN_CATEGORY: Mapping[DataCategory, tuple[str, str]] = {
    DataCategory.NAME: ("uw naam", "your name"),
    DataCategory.GENDER: ("uw geslacht", "your gender"),
    DataCategory.DATE_OF_BIRTH: ("uw geboortedatum of leeftijd", "your date of birth or age"),
    DataCategory.BSN: ("uw burgerservicenummer (BSN)", "your citizen service number (BSN)"),
    DataCategory.CONTACT_DETAILS: ("uw contactgegevens", "your contact details"),
    DataCategory.ADDRESS: ("uw adres", "your address"),
    DataCategory.EMAIL: ("uw e-mailadres", "your e-mail address"),
    DataCategory.PHONE: ("uw telefoonnummer", "your phone number"),
    DataCategory.ACCESS_CREDENTIALS: ("uw inloggegevens (gebruikersnaam en wachtwoord)",
                                      "your log-in details (user name and password)"),
    DataCategory.FINANCIAL_OTHER: ("financiële gegevens", "financial details"),
    DataCategory.BANK_ACCOUNT: ("uw bankrekeningnummer", "your bank account number"),
    DataCategory.CREDIT_CARD: ("uw creditcardgegevens", "your credit card details"),
    DataCategory.INSURANCE: ("gegevens over uw verzekering", "details of your insurance"),
    DataCategory.DEBTS: ("gegevens over schulden", "details of debts"),
    DataCategory.BENEFITS: ("gegevens over een uitkering", "details of benefits"),
    DataCategory.IDENTITY_DOCUMENT: ("(een kopie van) uw identiteitsbewijs", "(a copy of) your identity document"),
    DataCategory.LOCATION: ("locatiegegevens", "location data"),
    DataCategory.CRIMINAL_DATA: ("strafrechtelijke gegevens", "criminal records"),
    DataCategory.UNKNOWN: ("gegevens die we nog onderzoeken", "data we are still investigating"),
    DataCategory.OTHER: ("andere gegevens", "other data"),
    DataCategory.JOB_TITLE: ("uw functie", "your job title"),
    DataCategory.BUSINESS_REGISTRATION: ("uw KvK- en btw-nummer", "your Chamber of Commerce and VAT numbers"),
    DataCategory.CUSTOMER_REFERENCE: ("uw klant-, order- en factuurnummers",
                                      "your customer, order and invoice numbers"),
    DataCategory.IP_ADDRESS: ("uw IP-adres", "your IP address"),
    DataCategory.DEVICE_DATA: ("het type browser en apparaat dat u gebruikt", "your browser and device type"),
    DataCategory.CALL_RECORDING: ("opnames van telefoongesprekken", "recordings of phone calls"),
    DataCategory.PURCHASE_HISTORY: ("wat u bij ons hebt gekocht", "what you bought from us"),
    DataCategory.ONLINE_BEHAVIOUR: ("hoe u onze website gebruikt", "how you use our website"),
    DataCategory.TRAFFIC_DATA: ("gegevens over uw gesprekken en berichten", "data about your calls and messages"),
}

PLAIN_SPECIAL: Mapping[SpecialCategory, tuple[str, str]] = {
    SpecialCategory.RACIAL_OR_ETHNIC_ORIGIN: ("uw afkomst", "your ethnic origin"),
    SpecialCategory.POLITICAL_OPINIONS: ("uw politieke voorkeur", "your political opinions"),
    SpecialCategory.RELIGIOUS_OR_PHILOSOPHICAL_BELIEFS: ("uw geloof of levensovertuiging",
                                                          "your religion or beliefs"),
    SpecialCategory.TRADE_UNION_MEMBERSHIP: ("uw lidmaatschap van een vakbond", "your trade union membership"),
    SpecialCategory.SEX_LIFE_OR_ORIENTATION: ("uw seksuele leven of geaardheid", "your sex life or orientation"),
    SpecialCategory.HEALTH: ("gegevens over uw gezondheid", "data about your health"),
    SpecialCategory.GENETIC: ("genetische gegevens", "genetic data"),
    SpecialCategory.BIOMETRIC: ("biometrische gegevens (zoals een vingerafdruk)",
                                "biometric data (such as a fingerprint)"),
}

PLAIN_NATURE: Mapping[BreachNature, tuple[str, str]] = {
    BreachNature.CONFIDENTIALITY: ("iemand die daar geen recht op had, heeft uw gegevens mogelijk gezien",
                                   "someone who had no right to do so may have seen your data"),
    BreachNature.INTEGRITY: ("uw gegevens zijn mogelijk zonder toestemming gewijzigd",
                             "your data may have been changed without permission"),
    BreachNature.AVAILABILITY_PERMANENT: ("uw gegevens zijn verloren gegaan", "your data have been lost"),
    BreachNature.AVAILABILITY_TEMPORARY: ("uw gegevens waren tijdelijk niet beschikbaar",
                                          "your data were temporarily unavailable"),
}


def ap_categories(categories: frozenset[DataCategory]) -> tuple[str, ...]:
    """AP 6.1 answer lines: the listed options, then one "Anders, namelijk" line for the rest."""
    listed = [label for c in DataCategory if c in categories and (label := AP_CATEGORY[c]) is not None]
    others = [AP_OTHER_CATEGORY[c] for c in DataCategory if c in categories and AP_CATEGORY[c] is None]
    return (*listed, *([f"Anders, namelijk: {', '.join(others)}"] if others else []))
