"""The shapes of the generated city: the whole city, a tenth of it, and a tiny one for tests.

A community is the same size at every scale (10 grids of 10 buildings in the city and its
tenth), so a community's pages can be compared across scales; only the number of streets, and
so the size of a district, changes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    districts: int
    counties: int
    streets: tuple[int, ...]  # per root: the districts', then the counties'
    communities_per_street: int
    grids_per_community: int
    buildings_per_grid: int
    cases: int
    days: int  # cases run over the `days` whole days before the load day

    @property
    def roots(self) -> int:
        return self.districts + self.counties


SCALES = {
    # 3 districts and a county, 30 streets, 300 communities, 3,000 grids, 30,000 buildings,
    # about 390,000 households and 1,050,000 residents; 1,000,000 cases over two years.
    "city": Scale("city", 3, 1, (8, 8, 8, 6), 10, 10, 10, 1_000_000, 730),
    # 4 streets of 8 communities: about a tenth of the people, a tenth of the cases.
    "city-tenth": Scale("city-tenth", 3, 1, (1, 1, 1, 1), 8, 10, 10, 100_000, 730),
    # The map's benchmark (bench/map_layers.py): one district of 3,000 grids, a building each, and
    # 100,000 cases reported on the load day, so nearly all are still open.
    "district-map": Scale("district-map", 1, 0, (30,), 10, 10, 1, 100_000, 1),
    # For the test suite: the same code path in a second.
    "city-tiny": Scale("city-tiny", 1, 1, (2, 1), 2, 2, 2, 400, 60),
}

# The generated city's division codes start with 97, a province that does not exist (the demo
# uses 99, the tests 98), so it can sit beside either.
CITY_CODE = "970100000000"
CITY_NAME = "滨江市"
DISTRICT_NAMES = ["江北区", "江南区", "新港区"]
COUNTY_NAMES = ["青山县"]
# Two characters each for streets, communities and grids: enough distinct names for the city.
PLACE_CHARS = "东西南北中新老金银江河湖山松柏桂兰梅竹青红华光明阳春秋安康和平丰泰盛兴隆福寿文武龙凤鹤云月星"
