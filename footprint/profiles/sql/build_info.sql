-- Which build the profiles are rendered from.
select build_id, code_version, published_at
from publication.build_info
