"""Machinery every source shares: the source interface and landing (``source``), the HTTP client
(``http``), typed tabular reading (``tabular``), the country resolver (``countries``) and Dutch number
reading (``dutch_numbers``). Sources live in their own packages beside this one."""
