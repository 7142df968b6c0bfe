"""State moves that two racing requests cannot both win."""
from ..extensions import db


def move(model, row, allowed_from: tuple[str, ...], to_state: str, **values) -> bool:
    """Conditional UPDATE: succeeds only if the row is still in one of `allowed_from`."""
    result = db.session.execute(
        db.update(model).where(model.id == row.id, model.state.in_(allowed_from))
        .values(state=to_state, **values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    db.session.refresh(row)
    return True
