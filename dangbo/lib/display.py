"""Choice labels for a list of rows, translated once per list rather than once per row."""


def label_choices(rows, *fields):
    """Set ``<field>_label`` on each row to the label ``get_<field>_display()`` gives; return the rows as a list.

    ``get_FOO_display()`` rebuilds the field's choice dict and hashes every lazily
    translated label on each call (about 9 µs); two labels on each of 50 rows cost a
    list page more than its queries. A value outside the choices is its own label, as there.
    """
    rows = list(rows)
    if not rows:
        return rows
    meta = rows[0]._meta
    for name in fields:
        labels = {value: str(label) for value, label in meta.get_field(name).flatchoices}
        attribute = f"{name}_label"
        for row in rows:
            value = getattr(row, name)
            setattr(row, attribute, labels.get(value, value))
    return rows
