"""The shape of each tax-ID type Stripe accepts, and the country it belongs to.

Patterns follow the formats Stripe documents (its "Supported tax ID types" table gives
one example per type; every example is accepted here). Separators Stripe shows
(``-``, ``.``, ``/``) are optional; spaces are ignored. Where a number carries a check
digit that Stripe is known to verify (Australian ABN), it is checked too. Types with
no well-known format are accepted when they look like an identifier at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# EU VAT: the prefix Stripe expects (Greece is EL, Northern Ireland XI) and the country.
EU_VAT: dict[str, tuple[str, str]] = {
    "AT": ("AT", r"U\d{8}"),
    "BE": ("BE", r"[01]\d{9}"),
    "BG": ("BG", r"\d{9,10}"),
    "CY": ("CY", r"\d{8}[A-Z]"),
    "CZ": ("CZ", r"\d{8,10}"),
    "DE": ("DE", r"\d{9}"),
    "DK": ("DK", r"\d{8}"),
    "EE": ("EE", r"\d{9}"),
    "EL": ("GR", r"\d{9}"),
    "ES": ("ES", r"[A-Z0-9]\d{7}[A-Z0-9]"),
    "FI": ("FI", r"\d{8}"),
    "FR": ("FR", r"[A-HJ-NP-Z0-9]{2}\d{9}"),
    "HR": ("HR", r"\d{11}"),
    "HU": ("HU", r"\d{8}"),
    "IE": ("IE", r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]"),
    "IT": ("IT", r"\d{11}"),
    "LT": ("LT", r"\d{9}|\d{12}"),
    "LU": ("LU", r"\d{8}"),
    "LV": ("LV", r"\d{11}"),
    "MT": ("MT", r"\d{8}"),
    "NL": ("NL", r"\d{9}B\d{2}"),
    "PL": ("PL", r"\d{10}"),
    "PT": ("PT", r"\d{9}"),
    "RO": ("RO", r"\d{2,10}"),
    "SE": ("SE", r"\d{10}01"),
    "SI": ("SI", r"\d{8}"),
    "SK": ("SK", r"\d{10}"),
    "XI": ("GB", r"\d{9}|\d{12}|GD\d{3}|HA\d{3}"),
}


def _abn_ok(value: str) -> bool:
    digits = [int(c) for c in re.sub(r"\D", "", value)]
    if len(digits) != 11:
        return False
    digits[0] -= 1
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 89 == 0


@dataclass(frozen=True)
class Rule:
    country: str
    pattern: str
    check: Callable[[str], bool] | None = None


RULES: dict[str, Rule] = {
    "ad_nrt": Rule("AD", r"[A-Z]-?\d{6}-?[A-Z]"),
    "ae_trn": Rule("AE", r"\d{15}"),
    "al_tin": Rule("AL", r"[A-Z]\d{8}[A-Z]"),
    "am_tin": Rule("AM", r"\d{8}"),
    "ao_tin": Rule("AO", r"\d{10}"),
    "ar_cuit": Rule("AR", r"\d{2}-?\d{7,8}-?\d{1,2}"),
    "au_abn": Rule("AU", r"\d{11}", _abn_ok),
    "au_acn": Rule("AU", r"\d{9}"),
    "au_arn": Rule("AU", r"\d{12}"),
    "au_wpn": Rule("AU", r"\d{9,12}"),
    "aw_tin": Rule("AW", r"\d{8}"),
    "az_tin": Rule("AZ", r"\d{10}"),
    "ba_tin": Rule("BA", r"\d{12,13}"),
    "bb_tin": Rule("BB", r"\d{13}"),
    "bd_bin": Rule("BD", r"\d{9}-?\d{4}"),
    "bf_ifu": Rule("BF", r"\d{8}[A-Z]"),
    "bg_uic": Rule("BG", r"\d{9}|\d{13}"),
    "bh_vat": Rule("BH", r"\d{15}"),
    "bj_ifu": Rule("BJ", r"\d{13}"),
    "bo_tin": Rule("BO", r"\d{7,12}"),
    "br_cnpj": Rule("BR", r"\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}"),
    "br_cpf": Rule("BR", r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}"),
    "bs_tin": Rule("BS", r"\d{3}\.?\d{3}\.?\d{3}"),
    "bw_vat": Rule("BW", r"[A-Z]\d{11}|\d{12}"),
    "by_tin": Rule("BY", r"\d{9}"),
    "ca_bn": Rule("CA", r"\d{9}"),
    "ca_gst_hst": Rule("CA", r"\d{9}RT\d{4}"),
    "ca_pst_bc": Rule("CA", r"PST-?\d{4}-?\d{4}"),
    "ca_pst_mb": Rule("CA", r"\d{6}-?\d"),
    "ca_pst_sk": Rule("CA", r"\d{7}"),
    "ca_qst": Rule("CA", r"\d{10}TQ\d{4}"),
    "cd_nif": Rule("CD", r"[A-Z]\d{7}[A-Z]"),
    "ch_uid": Rule("CH", r"CHE-?\d{3}\.?\d{3}\.?\d{3}(HR)?"),
    "ch_vat": Rule("CH", r"CHE-?\d{3}\.?\d{3}\.?\d{3}(MWST|TVA|IVA)"),
    "ci_vat": Rule("CI", r"\d{7}[A-Z]"),
    "cl_tin": Rule("CL", r"\d{1,2}\.?\d{3}\.?\d{3}-?[\dK]"),
    "cm_niu": Rule("CM", r"[A-Z]\d{12}[A-Z]"),
    "cn_tin": Rule("CN", r"[0-9A-Z]{15}|[0-9A-Z]{18}"),
    "co_nit": Rule("CO", r"\d{3}\.?\d{3}\.?\d{3}-?\d"),
    "cr_tin": Rule("CR", r"\d-?\d{3}-?\d{6}|\d{10,12}"),
    "cv_nif": Rule("CV", r"\d{9}"),
    "cz_dic": Rule("CZ", r"(CZ)?\d{8,10}"),
    "de_stn": Rule("DE", r"\d{10,11}|\d{2,3}/\d{3,4}/\d{4,5}"),
    "do_rcn": Rule("DO", r"\d{3}-?\d{7}-?\d|\d{9}"),
    "ec_ruc": Rule("EC", r"\d{13}"),
    "eg_tin": Rule("EG", r"\d{9}"),
    "es_cif": Rule("ES", r"[A-Z]\d{7}[A-Z0-9]"),
    "et_tin": Rule("ET", r"\d{10}"),
    "eu_oss_vat": Rule("", r"EU\d{9}"),
    "fo_vat": Rule("FO", r"\d{6}"),
    "fr_siren": Rule("FR", r"\d{9}"),
    "fr_siret": Rule("FR", r"\d{14}"),
    "fr_spi": Rule("FR", r"\d{13}"),
    "gb_vat": Rule("GB", r"GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})"),
    "ge_vat": Rule("GE", r"\d{9}"),
    "gh_tin": Rule("GH", r"[A-Z]\d{10}"),
    "gi_tin": Rule("GI", r"\d{5,9}"),
    "gn_nif": Rule("GN", r"\d{9}"),
    "hk_br": Rule("HK", r"\d{8}"),
    "hr_oib": Rule("HR", r"\d{11}"),
    "hu_tin": Rule("HU", r"\d{8}-?\d-?\d{2}"),
    "ic_nif": Rule("ES", r"[A-Z0-9]\d{7}[A-Z0-9]"),
    "id_npwp": Rule("ID", r"\d{2}\.?\d{3}\.?\d{3}\.?\d-?\d{3}\.?\d{3}|\d{16}"),
    "il_vat": Rule("IL", r"\d{9}"),
    "in_gst": Rule("IN", r"\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]"),
    "is_kt": Rule("IS", r"\d{6}-?\d{4}"),
    "is_vat": Rule("IS", r"\d{5,6}"),
    "it_cf": Rule("IT", r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]|\d{11}"),
    "jp_cn": Rule("JP", r"\d{13}"),
    "jp_rn": Rule("JP", r"\d{5}"),
    "jp_trn": Rule("JP", r"T\d{13}"),
    "ke_pin": Rule("KE", r"[A-Z]\d{9}[A-Z]"),
    "kg_tin": Rule("KG", r"\d{14}"),
    "kh_tin": Rule("KH", r"\d{4}-?\d{9}|[A-Z]\d{3}-?\d{9}"),
    "kr_brn": Rule("KR", r"\d{3}-?\d{2}-?\d{5}"),
    "kz_bin": Rule("KZ", r"\d{12}"),
    "la_tin": Rule("LA", r"\d{9}-?\d{3}"),
    "li_uid": Rule("LI", r"CHE\d{9}"),
    "li_vat": Rule("LI", r"\d{5}"),
    "lk_vat": Rule("LK", r"\d{9}-?\d{4}"),
    "ma_vat": Rule("MA", r"\d{8}"),
    "md_cf": Rule("MD", r"\d{13}"),
    "md_vat": Rule("MD", r"\d{7}"),
    "me_pib": Rule("ME", r"\d{8}"),
    "mk_vat": Rule("MK", r"MK\d{13}"),
    "mr_nif": Rule("MR", r"\d{8}"),
    "mu_vat": Rule("MU", r"\d{8}|[A-Z]\d{7}"),
    "mx_rfc": Rule("MX", r"[A-Z&\u00d1]{3,4}\d{6}[A-Z0-9]{3}"),
    "my_frp": Rule("MY", r"\d{8}"),
    "my_itn": Rule("MY", r"[A-Z]{1,2}\d{10,11}"),
    "my_sst": Rule("MY", r"[A-Z]\d{2}-?\d{4}-?\d{8}"),
    "mz_nuit": Rule("MZ", r"\d{9}"),
    "ng_tin": Rule("NG", r"\d{8}-?\d{4}"),
    "no_vat": Rule("NO", r"\d{9}MVA"),
    "no_voec": Rule("NO", r"\d{7}"),
    "np_pan": Rule("NP", r"\d{9}"),
    "nz_bn": Rule("NZ", r"\d{13}"),
    "nz_gst": Rule("NZ", r"\d{2,3}-?\d{3}-?\d{3}"),
    "om_vat": Rule("OM", r"OM\d{10}"),
    "pe_ruc": Rule("PE", r"\d{11}"),
    "ph_tin": Rule("PH", r"\d{9}|\d{12}"),
    "pl_nip": Rule("PL", r"\d{10}|\d{3}-?\d{3}-?\d{2}-?\d{2}"),
    "pt_nif": Rule("PT", r"\d{9}"),
    "py_ruc": Rule("PY", r"\d{6,8}-?\d"),
    "ro_tin": Rule("RO", r"\d{13}"),
    "rs_pib": Rule("RS", r"\d{9}"),
    "ru_inn": Rule("RU", r"\d{10}|\d{12}"),
    "ru_kpp": Rule("RU", r"\d{9}"),
    "sa_vat": Rule("SA", r"\d{15}"),
    "sg_gst": Rule("SG", r"[A-Z]\d{8}[A-Z0-9]|\d{9}[A-Z]"),
    "sg_uen": Rule("SG", r"\d{8,9}[A-Z]|[ST]\d{2}[A-Z]{2}\d{4}[A-Z]"),
    "si_tin": Rule("SI", r"\d{8}"),
    "sm_coe": Rule("SM", r"\d{5}"),
    "sn_ninea": Rule("SN", r"\d{7}[A-Z0-9]{2,3}"),
    "sr_fin": Rule("SR", r"\d{10}"),
    "sv_nit": Rule("SV", r"\d{4}-?\d{6}-?\d{3}-?\d"),
    "th_vat": Rule("TH", r"\d{13}"),
    "tj_tin": Rule("TJ", r"\d{9}"),
    "tr_tin": Rule("TR", r"\d{10}"),
    "tt_bir": Rule("TT", r"\d{9,10}"),
    "tt_vat": Rule("TT", r"\d{6,9}"),
    "tw_vat": Rule("TW", r"\d{8}"),
    "tz_vat": Rule("TZ", r"\d{8}[A-Z]"),
    "ua_vat": Rule("UA", r"\d{9}|\d{12}"),
    "ug_tin": Rule("UG", r"\d{10}"),
    "us_ein": Rule("US", r"\d{2}-?\d{7}"),
    "uy_ruc": Rule("UY", r"\d{12}"),
    "uz_tin": Rule("UZ", r"\d{9}"),
    "uz_vat": Rule("UZ", r"\d{12}"),
    "ve_rif": Rule("VE", r"[A-Z]-?\d{8}-?\d"),
    "vn_tin": Rule("VN", r"\d{10}(-?\d{3})?"),
    "za_vat": Rule("ZA", r"4\d{9}"),
    "zm_tin": Rule("ZM", r"\d{10}"),
    "zw_tin": Rule("ZW", r"\d{10}"),
}

# Types whose registry Stripe queries (VIES, HMRC, the ABR); others are "unavailable".
VERIFIABLE = frozenset({"eu_vat", "gb_vat", "au_abn"})

_LOOSE = re.compile(r"[A-Z0-9][A-Z0-9 .\-/]{2,29}")


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def is_valid(type_: str, value: str) -> bool:
    compact = _compact(value)
    if not compact:
        return False
    if type_ == "eu_vat":
        entry = EU_VAT.get(compact[:2])
        return entry is not None and re.fullmatch(entry[1], compact[2:]) is not None
    rule = RULES.get(type_)
    if rule is None:
        # "unknown" and any type without a rule: accept what looks like an identifier.
        return _LOOSE.fullmatch(compact) is not None and any(c.isdigit() for c in compact)
    if re.fullmatch(rule.pattern, compact) is None:
        return False
    return rule.check is None or rule.check(compact)


def country_of(type_: str, value: str) -> str | None:
    """The ISO country of a valid tax ID (None when the type spans several, as eu_oss_vat)."""
    if type_ == "eu_vat":
        entry = EU_VAT.get(_compact(value)[:2])
        return entry[0] if entry else None
    rule = RULES.get(type_)
    return (rule.country or None) if rule else None
