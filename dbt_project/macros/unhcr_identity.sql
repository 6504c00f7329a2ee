{#- The identity columns every UNHCR dataset shares, renamed once: ISO codes for joining, UNHCR codes
    and names kept beside them (never join UNHCR codes to ISO codes). -#}
{% macro unhcr_identity() %}
    year,
    coo_iso as origin_iso3,
    coa_iso as asylum_iso3,
    coo as origin_unhcr_code,
    coa as asylum_unhcr_code,
    coo_name as origin_name,
    coa_name as asylum_name
{%- endmacro %}
