"""Option letters and labels of the EDPB draft template fields datalek fills (data only).

Labels as in the template v1.0 transcription (``edpb_template_2026.md``); mappings from datalek's vocabulary
to the letters are datalek's choice, documented next to each table.
"""

from __future__ import annotations

from collections.abc import Mapping

from incidents.assessment import DataCategory, SpecialCategory

YES_NO = {"a": "Yes", "b": "No"}
YES_NO_UNKNOWN = {"a": "Yes", "b": "No", "c": "Unknown"}
F3 = {"a": "New Notification", "b": "Follow-Up Notification"}
F4 = {"a": "Complete", "b": "Incomplete", "c": "Withdraw"}
F10 = {"a": "CompanyID", "b": "Organisation number", "c": "VAT Number"}
F14 = {"a": "Private", "b": "Public"}
F15 = {"a": "Freelance or Microenterprise", "b": "Small or Medium Enterprise", "c": "Large Enterprise",
       "d": "Others"}
F23 = {"a": "DPO", "b": "Legal representative", "c": "Authorised representative or other (please specify)"}
F33 = {"a": "DPO", "b": "Reporting person", "c": "Other (please specify)"}
F44 = {"a": "On a specific day", "b": "From a date to a date", "c": "From a date and is still ongoing",
       "d": "Cannot be determined", "e": "To be determined"}
F50 = {"a": "Detection by the data controller", "b": "Detection and communication by the data processor",
       "c": "Communication by a data subject", "d": "Communication by an external party", "e": "Press news",
       "f": "Other (please specify in further description)"}
F55 = {"a": "Confidentiality breach", "b": "Integrity breach", "c": "Availability breach"}
F56 = {"a": "Personal data are exfiltrated or disclosed",
       "b": "Personal data are likely exfiltrated or disclosed (no evidence)",
       "c": "Personal data are NOT exfiltrated NOR disclosed (reasonable evidence present)",
       "d": "Not possible to assess", "e": "To be determined"}
F57 = {"a": "Yes and protection is still intact",
       "b": "Protective measures had been taken, but it is likely that they could be subverted",
       "c": "No", "d": "Not possible to assess", "e": "To be determined"}
F58 = {"a": "Alteration or modification of the data, with no evidence of illegal or wrong use",
       "b": "Alteration with evidence of illegal or wrong use, with the possibility of reversing the damages",
       "c": "Alteration with evidence of illegal or wrong use, without the possibility of reversing the damages"}
F59 = {"a": "Temporary availability issue", "b": "Permanent availability issue", "c": "not determined"}
F60 = {"c": "Hacking / malware activity detected", "h": "Data of wrong data subject shown (mix-up of records)",
       "i": "Device lost or stolen", "l": "Mail lost or opened / misdelivery (post/email)",
       "n": "Incorrect access permissions (e.g., cloud storage, shared folder)",
       "r": "Personal data sent by mistake (post/email)",
       "s": "Sending email to multiple recipients without blind copy / with open distribution list",
       "v": "Unintended publication (e.g., public link / public website / shared drive)",
       "x": "to be determined", "y": "Other (please specify in further description)"}
F61 = {"a": "Internal non malicious", "b": "Internal malicious", "c": "External non malicious",
       "d": "External malicious", "e": "To be determined", "f": "Unknown"}
F65 = {"a": "Customers (current and prospects)", "b": "Employees (former, current and candidates)",
       "d": "Minors", "e": "Patients", "f": "Students", "i": "Vulnerable individuals",
       "j": "Additional concerned data subjects (please specify in further description)", "k": "Not yet known"}
F67 = {"a": "Exact number", "b": "Approximate number", "c": "Number cannot be determined",
       "d": "Number to be determined"}
F70 = {"a": "Basic data (e.g. name, surname, date of birth)",
       "b": "Contact details (e.g. address, phone number, e-mail)", "c": "Biometric data",
       "d": "Criminal convictions, offence or security measures", "e": "Data revealing political opinions",
       "f": "Data revealing racial or ethnic origin", "g": "Data revealing religious or philosophical beliefs",
       "h": "Data revealing sex life or sexual orientation", "i": "Data revealing trade union membership",
       "j": "Genetic data", "k": "Health data", "l": "Economic and financial data",
       "n": "Identification data (e.g. National identification number, ID number)", "o": "Location data",
       "p": "Official documents (e.g. scanned copies)", "q": "Payment methods (e.g. credit card, bank accounts)",
       "r": "Profile data", "s": "User credentials (e.g. usernames, passwords, tokens)", "t": "Not yet known",
       "u": "Additional data types (please specify in further description)"}
F79 = {"a": "Data were disclosed beyond the scope of the privacy policy or relevant legislation",
       "b": "Data may be linked, without unreasonable effort, with other information regarding data subjects",
       "c": "Data may be used for purposes other than the intended purpose or unlawfully"}
F85 = {"a": "Loss of control of their personal data", "b": "Limitation of their rights", "c": "Discrimination",
       "d": "Identity theft or usurpation", "e": "Fraud", "f": "Financial loss", "h": "Damage to reputation",
       "o": "To be determined"}
F87 = {"a": "Minor", "b": "Moderate", "c": "Severe", "d": "To be determined"}
F89 = {"a": "Likely to result in a high risk to the rights and freedoms of natural persons",
       "b": "Likely to result in a (not high) risk to the rights and freedoms of natural persons",
       "c": "Unlikely to result in a risk to the rights and freedoms of natural persons"}
F97 = {"a": "Yes", "b": "No, but it will be communicated (date to be determined)",
       "c": "No, the investigation is still ongoing",
       "d": "No, the breach is unlikely to result in a high risk to the rights and freedoms of natural persons",
       "e": "No, one of the conditions referred to in article 34(3) of the GDPR is met"}
F100 = {"a": "Art. 34(3)(a): measures rendering the data unintelligible, such as encryption",
        "b": "Art. 34(3)(b): subsequent measures ensure the high risk is no longer likely to materialise",
        "c": "Art. 34(3)(c): disproportionate effort; public communication instead"}

SECTOR = {"private": "a", "public": "b"}
SIZE = {"micro": "a", "sme": "b", "large": "c", "other": "d"}
# ENISA level -> field 87 (three levels): low minor, medium moderate, high and very high severe.
SEVERITY = {"low": "a", "medium": "b", "high": "c", "very_high": "c"}
RISK = {"high": "a", "risk": "b", "unlikely": "c"}
GROUND = {"data_unintelligible": "a", "art34_3b_measures": "b", "art34_3c_disproportionate_effort": "c"}

# datalek category -> field 70. Categories the template lacks go to "u" (described in field 71).
DATA_TYPE: Mapping[DataCategory, str] = {
    **{c: "u" for c in DataCategory},
    DataCategory.NAME: "a", DataCategory.GENDER: "a", DataCategory.DATE_OF_BIRTH: "a", DataCategory.JOB_TITLE: "a",
    DataCategory.CONTACT_DETAILS: "b", DataCategory.ADDRESS: "b", DataCategory.EMAIL: "b", DataCategory.PHONE: "b",
    DataCategory.BSN: "n", DataCategory.BUSINESS_REGISTRATION: "n", DataCategory.IDENTITY_DOCUMENT: "p",
    DataCategory.ACCESS_CREDENTIALS: "s", DataCategory.FINANCIAL_OTHER: "l", DataCategory.DEBTS: "l",
    DataCategory.BENEFITS: "l", DataCategory.INSURANCE: "l", DataCategory.BANK_ACCOUNT: "q",
    DataCategory.CREDIT_CARD: "q",
    DataCategory.LOCATION: "o", DataCategory.CRIMINAL_DATA: "d", DataCategory.UNKNOWN: "t",
    DataCategory.PURCHASE_HISTORY: "r", DataCategory.ONLINE_BEHAVIOUR: "r",
}
SPECIAL: Mapping[SpecialCategory, str] = {
    SpecialCategory.RACIAL_OR_ETHNIC_ORIGIN: "f", SpecialCategory.POLITICAL_OPINIONS: "e",
    SpecialCategory.RELIGIOUS_OR_PHILOSOPHICAL_BELIEFS: "g", SpecialCategory.TRADE_UNION_MEMBERSHIP: "i",
    SpecialCategory.SEX_LIFE_OR_ORIENTATION: "h", SpecialCategory.HEALTH: "k", SpecialCategory.GENETIC: "j",
    SpecialCategory.BIOMETRIC: "c",
}
