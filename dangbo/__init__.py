"""dangbo: the grassroots work of a Party committee in one web system."""
