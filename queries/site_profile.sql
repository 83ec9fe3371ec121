-- site_profile: one row, the site $site_id: its identity, programme status and the permit
-- chosen for it from the permit layer (when one is loaded).
-- level: site
SELECT s.site_id, s.name, s.aliases, s.province, s.territory, s.lat, s.lon, s.site_type,
       s.cooperative, s.permit_code, s.permit_holder, s.programme_status, s.enrolled_on,
       s.ipis_pcode, s.source,
       p.licence_type, p.status AS permit_status, p.expires_on AS permit_expires_on
FROM sites AS s
LEFT JOIN site_permits AS l ON l.site_id = s.site_id AND l.chosen
LEFT JOIN permits AS p ON p.permit_id = l.permit_id
WHERE s.site_id = $site_id
