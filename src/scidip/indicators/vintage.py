"""Records of every vintage: the rules that read older OpenAlex records as today's.

OpenAlex changed its work format twice in ways that change counts:

* **Types** (2023). Records before mid-2023 carry Crossref's types in ``type``
  (``journal-article``, ``proceedings-article``, ``posted-content``…); today ``type`` holds
  OpenAlex's own types (https://developers.openalex.org/api-reference/work-types) and the Crossref
  type moved to ``type_crossref``. :data:`LEGACY_TYPES` maps the old values to today's. Each pair
  is one that OpenAlex itself made, as the real records in ``shared/data/openalex-real-sample``
  show: W2741809807 is ``journal-article`` in June 2022 and ``article`` (``type_crossref``
  ``journal-article``) in November 2023; the ACM proceedings paper 10.1145/3448016.3452841 is
  served as ``conference-paper``, the bioRxiv posted content 10.1101/097196 as ``preprint``, the
  PLOS figure component 10.1371/journal.pmed.0030277.g001 as ``other``. Types with the same name
  in both vocabularies (``book-chapter``, ``book``, ``dataset``, ``dissertation``, ``report``,
  ``peer-review``, ``standard``, ``other``…) are kept; any other old type is kept as it is, and
  so not counted, and shown by type in the coverage report.
* **Fields** (2024). ``primary_topic`` (topic → subfield → field → domain) exists since early
  2024; older records have only ``concepts`` (a score for each of OpenAlex's concepts, with the
  19 top-level ones at ``level`` 0). A record without ``primary_topic.field`` takes the field of
  its level-0 concept with the highest score (ties: the smaller concept id) by
  :data:`CONCEPT_FIELDS`, and is flagged ``field_source = "concepts"``. That mapping is SciDip's,
  not OpenAlex's (OpenAlex publishes none): the field of the same name; else the field holding
  the ASJC subfield of that name (History 1202 and Philosophy 1211 in Arts and Humanities;
  Geography, Planning and Development 3305, Sociology and Political Science 3312, Political
  Science and International Relations 3320 in Social Sciences; Geology 1907 in Earth and
  Planetary Sciences); Biology, which neither names, to Biochemistry, Genetics and Molecular
  Biology, the field ``primary_topic`` gives most often (70 of 216) to the real sample's works
  whose top concept is Biology. It is coarse: on the real sample's 773 works that have both, it
  gives ``primary_topic``'s field for 303 (39 %; ``tests/indicators/test_real_sample.py``).
  Some 2022 and 2023 records list only deeper concepts (``level`` 1 or more), whose level-0
  ancestors the record does not name: those keep no field (``unknown``).
"""

from __future__ import annotations

#: Crossref types in ``type`` (records before mid-2023) → today's OpenAlex type.
LEGACY_TYPES: dict[str, str] = {
    "journal-article": "article",
    "proceedings-article": "conference-paper",
    "posted-content": "preprint",
    "component": "other",
}

#: OpenAlex fields (id → name, domain id), as ``primary_topic.field`` gives them.
FIELDS: dict[str, tuple[str, str]] = {
    "11": ("Agricultural and Biological Sciences", "1"),
    "12": ("Arts and Humanities", "2"),
    "13": ("Biochemistry, Genetics and Molecular Biology", "1"),
    "14": ("Business, Management and Accounting", "2"),
    "15": ("Chemical Engineering", "3"),
    "16": ("Chemistry", "3"),
    "17": ("Computer Science", "3"),
    "18": ("Decision Sciences", "2"),
    "19": ("Earth and Planetary Sciences", "3"),
    "20": ("Economics, Econometrics and Finance", "2"),
    "21": ("Energy", "3"),
    "22": ("Engineering", "3"),
    "23": ("Environmental Science", "3"),
    "24": ("Immunology and Microbiology", "1"),
    "25": ("Materials Science", "3"),
    "26": ("Mathematics", "3"),
    "27": ("Medicine", "4"),
    "28": ("Neuroscience", "1"),
    "29": ("Nursing", "4"),
    "30": ("Pharmacology, Toxicology and Pharmaceutics", "1"),
    "31": ("Physics and Astronomy", "3"),
    "32": ("Psychology", "2"),
    "33": ("Social Sciences", "2"),
    "34": ("Veterinary", "4"),
    "35": ("Dentistry", "4"),
    "36": ("Health Professions", "4"),
}
DOMAINS: dict[str, str] = {
    "1": "Life Sciences",
    "2": "Social Sciences",
    "3": "Physical Sciences",
    "4": "Health Sciences",
}

#: OpenAlex's 19 level-0 concepts (id, name as OpenAlex gives it) → field id (see above).
CONCEPT_FIELDS: dict[str, tuple[str, str]] = {
    "C142362112": ("Art", "12"),
    "C86803240": ("Biology", "13"),
    "C144133560": ("Business", "14"),
    "C185592680": ("Chemistry", "16"),
    "C41008148": ("Computer science", "17"),
    "C162324750": ("Economics", "20"),
    "C127413603": ("Engineering", "22"),
    "C39432304": ("Environmental science", "23"),
    "C205649164": ("Geography", "33"),
    "C127313418": ("Geology", "19"),
    "C95457728": ("History", "12"),
    "C192562407": ("Materials science", "25"),
    "C33923547": ("Mathematics", "26"),
    "C71924100": ("Medicine", "27"),
    "C138885662": ("Philosophy", "12"),
    "C121332964": ("Physics", "31"),
    "C17744445": ("Political science", "33"),
    "C15744967": ("Psychology", "32"),
    "C144024400": ("Sociology", "33"),
}
