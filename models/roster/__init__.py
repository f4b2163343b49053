"""The roster files (SITES.csv, PEOPLE.csv): read and validate every row, then apply all or nothing."""
