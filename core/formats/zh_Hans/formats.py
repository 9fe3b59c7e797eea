# Budget tables in Chinese group money by thousands (1,376,000.00 元); Django's zh-Hans formats
# set no grouping. Everything else falls back to Django's own zh-Hans formats.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
