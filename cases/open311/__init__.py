"""Open311 GeoReport v2 at /open311/v2/ (wiki.open311.org/GeoReport_v2), so existing 311 apps and
libraries report and follow cases unchanged: discovery, services, a service's definition, requests
(list, one, create) and tokens, each as `.json` or `.xml`, errors in the specification's list.

A POST is a resident's report through the app whose client key (`api_key`, orgs.client_keys) is
its authority: the same service as the QR door plate's form (cases.services.report_by_resident).
Reads are public, as the specification has them, and show less than a key of the jurisdiction
sees (cases.open311.documents)."""
