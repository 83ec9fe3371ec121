"""An IPIS open-data CSV as the tests write it: the columns of the real file (a selection of
its ~85, in its order and spelling), blank fields, a row not visited on site, a mine matched by
its IPIS code (codmine00003: the tests give it to FCA-0003), one matched by name within 2 km
(Kamilombe) and new mines in the east."""

from __future__ import annotations

# the IPIS open-data CSV's columns (a selection of its ~85, in its order and spelling)
HEADER = ["id", "vid", "source", "project", "pcode", "name", "visit_date", "visit_onsite",
          "visit_onsite_novisitreason", "longitude", "latitude", "province", "territoire",
          "collectivite", "groupement", "village", "workers_numb", "mineral1", "mineral2",
          "mineral3", "childunder15", "childunder15work", "women", "womenwork", "armed_group1",
          "armed_group2", "armed_group3", "interference", "state_service1", "state_service2",
          "state_service3", "state_service4", "traceability", "qualification", "mercury"]


def ipis_row(pcode, name, date, lon, lat, *, onsite="yes", province="", workers="",
             minerals=("", "", ""), child="", women="", interference="", village=""):
    values = {"id": "1", "vid": "1", "source": "IPIS", "project": "IPIS - 2021", "pcode": pcode,
              "name": name, "visit_date": date, "visit_onsite": onsite, "longitude": lon,
              "latitude": lat, "province": province, "village": village,
              "workers_numb": workers, "mineral1": minerals[0], "mineral2": minerals[1],
              "mineral3": minerals[2], "childunder15": child, "women": women,
              "interference": interference, "armed_group1": "FARDC" if interference else "",
              "state_service1": "SAEMAPE", "traceability": "iTSCi", "qualification": "vert",
              "childunder15work": "Transport" if child == "yes" else "",
              "visit_onsite_novisitreason": "Insécurité" if onsite == "no" else ""}
    return [values.get(column, "") for column in HEADER]


ROWS = [
    # 2: FCA-0003 carries this IPIS code (set below): matched by code
    ipis_row("codmine00003", "Kapata (IPIS)", "2021-03-10", "25.384", "-10.772",
             province="Lualaba", workers="250", minerals=("Cobalt", "Cuivre", ""),
             child="yes", women="no", interference="no"),
    # 3: same name as FCA-0002 (Kamilombe), about 1.2 km away: matched by name
    ipis_row("codmine00777", "KAMILOMBE", "12/05/2021", "25.41", "-10.79", child="-1",
             women="yes"),
    # 4 and 5: a new gold mine in Sud-Kivu (province spelled another way), two visits
    ipis_row("codmine00191", "Kalimbi", "2021-08-01T00:00:00Z", "28.93", "-1.95",
             province="SUD KIVU", workers="1200", minerals=("Cassitérite", "Or", ""),
             child="no", women="yes", interference="yes"),
    ipis_row("codmine00191", "Kalimbi", "2020-02-01", "28.93", "-1.95", province="Sud-Kivu",
             workers="900"),
    # 6: not visited on site: the mine is added, no visit
    ipis_row("codmine00555", "Mine de Mongbwalu", "2021-01-05", "30.03", "1.95", onsite="no",
             workers="300"),
    # 7: visited, nothing recorded but the date: every count and flag stays unknown
    ipis_row("codmine00600", "Site de Kampene", "2021-07-07", "26.65", "-3.6", onsite=""),
    # 8: the programme visited FCA-0003 that day: its own visit is kept
    ipis_row("codmine00003", "Kapata (IPIS)", "2021-05-01", "25.384", "-10.772",
             workers="999"),
]
